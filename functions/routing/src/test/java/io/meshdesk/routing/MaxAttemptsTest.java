package io.meshdesk.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.PutOption;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.problem.Problem;
import io.meshdesk.routing.lifecycle.CloseRequest;
import io.meshdesk.routing.lifecycle.RouteRequest;
import io.meshdesk.routing.presence.AgentRegistration;
import io.meshdesk.routing.presence.AgentStatusChange;
import io.meshdesk.routing.session.Channel;
import io.meshdesk.routing.session.Outcome;
import io.meshdesk.routing.session.Priority;
import io.meshdesk.routing.session.SessionState;
import io.meshdesk.routing.settings.RoutingSettings;
import io.meshdesk.routing.state.AgentStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * README, "Errors", 409: a decision that kept losing races with other instances. The calls that
 * read a key and then write comparing its revision (session-close, agent-status, agent-register)
 * try meshdesk.routing.max-attempts times; when every try loses they answer 409 "try again" and
 * have changed nothing. Here "another instance" writes the contested key between each read and
 * the transaction, every time, so every try loses.
 */
@Timeout(60)
class MaxAttemptsTest {

    static final int MAX_ATTEMPTS = 3;

    static RoutingInstances routing;
    static RacingEtcd racer;

    @BeforeAll
    static void start() {
        RoutingSettings s = RoutingInstances.SETTINGS;
        RoutingSettings fewAttempts = new RoutingSettings(
                s.region(),
                s.channelCost(),
                s.preferredAgentWait(),
                s.agingAfter(),
                s.agentLeaseTtl(),
                s.closedRetention(),
                MAX_ATTEMPTS);
        routing = RoutingInstances.start(EtcdCluster.single(), 1, fewAttempts, Clock.systemUTC(), endpoints -> {
            racer = new RacingEtcd(endpoints);
            return racer;
        });
    }

    @AfterAll
    static void stop() {
        routing.close();
    }

    @AfterEach
    void stopRacing() {
        racer.contest(null);
    }

    @Test
    void aCloseThatLosesEveryTryAnswers409AndTheSessionStaysAssigned() {
        register("ma-close", 100);
        route("ma-close-s", "ma-close");
        racer.contest(Keyspace.load("ma-close"));

        assertThatThrownBy(() -> instance().sessions().close(new CloseRequest("ma-close-s", Outcome.RESOLVED)))
                .isInstanceOfSatisfying(
                        Problem.class, p -> assertThat(p.status()).isEqualTo(409))
                .hasMessageContaining("session ma-close-s kept changing while it was being closed; try again");
        assertThat(racer.contestedReads()).as("tries").isEqualTo(MAX_ATTEMPTS);
        assertThat(instance().sessions().get("ma-close-s").state()).isEqualTo(SessionState.ASSIGNED);

        racer.contest(null);
        assertThat(instance()
                        .sessions()
                        .close(new CloseRequest("ma-close-s", Outcome.RESOLVED))
                        .state())
                .as("trying again once the race is over")
                .isEqualTo(SessionState.CLOSED);
    }

    @Test
    void aStatusChangeThatLosesEveryTryAnswers409AndTheAgentKeepsItsStatus() {
        register("ma-status", 100);
        racer.contest(Keyspace.agent("ma-status"));

        assertThatThrownBy(
                        () -> instance().presence().changeStatus(new AgentStatusChange("ma-status", AgentStatus.AWAY)))
                .isInstanceOfSatisfying(
                        Problem.class, p -> assertThat(p.status()).isEqualTo(409))
                .hasMessageContaining("agent ma-status kept changing while its status was being set; try again");
        assertThat(racer.contestedReads()).as("tries").isEqualTo(MAX_ATTEMPTS);
        assertThat(instance().view().agent("ma-status").value().status()).isEqualTo(AgentStatus.AVAILABLE);
    }

    @Test
    void aRegistrationThatLosesEveryTryAnswers409AndTheAgentKeepsItsCapacity() {
        register("ma-register", 100);
        racer.contest(Keyspace.load("ma-register"));

        assertThatThrownBy(() -> register("ma-register", 200))
                .isInstanceOfSatisfying(
                        Problem.class, p -> assertThat(p.status()).isEqualTo(409))
                .hasMessageContaining("agent ma-register kept being assigned sessions while it was being registered");
        assertThat(racer.contestedReads()).as("tries").isEqualTo(MAX_ATTEMPTS);
        assertThat(instance().view().agent("ma-register").value().capacity()).isEqualTo(100);
    }

    private static RoutingInstance instance() {
        return routing.get(0);
    }

    /** An agent speaking a language named after it, so only its own test's sessions go to it. */
    private static void register(String agentId, int capacity) {
        instance().presence().register(new AgentRegistration(agentId, null, Map.of(), List.of(agentId), capacity, 100));
    }

    private static void route(String sessionId, String agentId) {
        assertThat(instance()
                        .sessions()
                        .route(
                                new RouteRequest(sessionId, "c", Channel.WEB, agentId, Map.of(), null),
                                Priority.STANDARD)
                        .result()
                        .state())
                .isEqualTo(SessionState.ASSIGNED);
    }

    /**
     * An etcd connection that, after reading the contested key, writes it again (same value,
     * same lease) before handing the read back: the revision the caller then compares is stale,
     * as when another instance wrote in between.
     */
    static final class RacingEtcd extends BlockingEtcd {
        private volatile String contested;
        private final AtomicInteger reads = new AtomicInteger();

        RacingEtcd(List<String> endpoints) {
            super(
                    Client.builder().endpoints(endpoints.toArray(String[]::new)).build(),
                    Duration.ofSeconds(3),
                    endpoints);
        }

        void contest(String key) {
            reads.set(0);
            contested = key;
        }

        int contestedReads() {
            return reads.get();
        }

        @Override
        public KeyValue get(String key, String doing) {
            KeyValue read = super.get(key, doing);
            if (read != null && key.equals(contested)) {
                reads.incrementAndGet();
                PutOption sameLease = read.getLease() == 0
                        ? PutOption.DEFAULT
                        : PutOption.builder().withLeaseId(read.getLease()).build();
                await(kv().put(read.getKey(), read.getValue(), sameLease), "writing " + key + " as another instance");
            }
            return read;
        }
    }
}
