package io.meshdesk.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.PutOption;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.routing.json.RoutingJson;
import io.meshdesk.routing.lifecycle.RouteRequest;
import io.meshdesk.routing.lifecycle.RouteResult;
import io.meshdesk.routing.presence.AgentRegistration;
import io.meshdesk.routing.presence.AgentStatusChange;
import io.meshdesk.routing.session.Channel;
import io.meshdesk.routing.session.Priority;
import io.meshdesk.routing.session.SessionState;
import io.meshdesk.routing.state.Agent;
import io.meshdesk.routing.state.AgentStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * README, "Routing rules", Backfill: an agent becoming available assigns from the queue at once,
 * and every instance also backfills when its watches show capacity freed elsewhere. These
 * instances run no sweep (only the scheduler runs one, and it is not started here), so whatever
 * assigns a queued session is the call or the watch under test.
 */
@Timeout(60)
class BackfillTest {

    /** A watch event and one transaction; the live updates promise a second for the same path. */
    static final Duration WATCH_BACKFILL = Duration.ofSeconds(1);

    static RoutingInstances routing;

    @BeforeAll
    static void start() {
        routing = RoutingInstances.start(EtcdCluster.single(), 2);
    }

    @AfterAll
    static void stop() {
        routing.close();
    }

    @Test
    void aQueuedSessionIsAssignedByTheTimeAgentStatusAvailableHasAnswered() {
        // The call backfills before it answers; the instance's own view also starts a
        // background backfill on the change, so this holds "at once" either way.
        RoutingInstance a = routing.get(0);
        awayAgent(a, "bf1", "bf1-agent");
        assertThat(route(a, "bf1", "bf1-s").state()).isEqualTo(SessionState.QUEUED);

        a.presence().changeStatus(new AgentStatusChange("bf1-agent", AgentStatus.AVAILABLE));

        assertThat(a.sessions().get("bf1-s"))
                .as("the session once agent-status available has answered")
                .extracting(RouteResult::state, RouteResult::agentId)
                .containsExactly(SessionState.ASSIGNED, "bf1-agent");
    }

    @Test
    void anAgentGoingAvailableOnOneInstanceTakesTheSessionAnotherInstanceQueued() {
        RoutingInstance a = routing.get(0);
        RoutingInstance b = routing.get(1);
        awayAgent(a, "bf2", "bf2-agent");
        assertThat(route(b, "bf2", "bf2-s").state()).isEqualTo(SessionState.QUEUED);

        a.presence().changeStatus(new AgentStatusChange("bf2-agent", AgentStatus.AVAILABLE));

        // A backfills from its view, which may not have B's queued session yet; then B's
        // watch sees the agent come back and B backfills.
        await().atMost(WATCH_BACKFILL)
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(b.sessions().get("bf2-s"))
                        .extracting(RouteResult::state, RouteResult::agentId)
                        .containsExactly(SessionState.ASSIGNED, "bf2-agent"));
    }

    @Test
    void anInstanceBackfillsFromItsWatchWhenTheWriterOfTheChangeDidNot() throws Exception {
        // One instance alone, and the agent's return written straight to etcd as an instance
        // would that crashed right after its write: only this instance's watch can assign.
        try (RoutingInstances alone = RoutingInstances.start(EtcdCluster.single(), 1)) {
            RoutingInstance b = alone.get(0);
            awayAgent(b, "bf3", "bf3-agent");
            assertThat(route(b, "bf3", "bf3-s").state()).isEqualTo(SessionState.QUEUED);

            var etcd = alone.clients.get(0);
            KeyValue kv = etcd.get(Keyspace.agent("bf3-agent"), "test");
            Agent away = RoutingJson.decode(kv.getValue(), Agent.class);
            etcd.await(
                    etcd.kv()
                            .put(
                                    kv.getKey(),
                                    RoutingJson.encode(away.withStatus(AgentStatus.AVAILABLE)),
                                    PutOption.builder()
                                            .withLeaseId(kv.getLease())
                                            .build()),
                    "test");

            await().atMost(WATCH_BACKFILL)
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(b.sessions().get("bf3-s"))
                            .extracting(RouteResult::state, RouteResult::agentId)
                            .containsExactly(SessionState.ASSIGNED, "bf3-agent"));
        }
    }

    /** A registered agent who stepped away: it speaks only language, so only this test's sessions suit it. */
    private static void awayAgent(RoutingInstance instance, String language, String agentId) {
        instance.presence().register(new AgentRegistration(agentId, null, Map.of(), List.of(language), 100, 100));
        instance.presence().changeStatus(new AgentStatusChange(agentId, AgentStatus.AWAY));
    }

    private static RouteResult route(RoutingInstance instance, String language, String sessionId) {
        return instance.sessions()
                .route(
                        new RouteRequest(sessionId, "c-" + sessionId, Channel.WEB, language, Map.of(), null),
                        Priority.STANDARD)
                .result();
    }
}
