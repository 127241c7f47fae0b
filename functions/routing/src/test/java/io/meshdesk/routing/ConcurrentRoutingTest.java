package io.meshdesk.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.problem.Problem;
import io.meshdesk.routing.audit.AuditReport;
import io.meshdesk.routing.json.RoutingJson;
import io.meshdesk.routing.lifecycle.CloseRequest;
import io.meshdesk.routing.lifecycle.RouteRequest;
import io.meshdesk.routing.lifecycle.RouteResult;
import io.meshdesk.routing.metrics.RoutingMetrics;
import io.meshdesk.routing.presence.AgentRegistration;
import io.meshdesk.routing.session.Channel;
import io.meshdesk.routing.session.Outcome;
import io.meshdesk.routing.session.Priority;
import io.meshdesk.routing.session.Session;
import io.meshdesk.routing.session.SessionState;
import io.meshdesk.routing.state.AgentLoad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three routing instances route and close hundreds of sessions at once against a few agents;
 * the audit over etcd must find no double assignment, no agent over capacity, no lost session.
 */
@Timeout(180)
class ConcurrentRoutingTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final int SESSIONS = 300;
    static final int AGENTS = 5;

    static RoutingInstances routing;

    @BeforeAll
    static void start() {
        routing = RoutingInstances.start(EtcdCluster.single(), 3);
    }

    @AfterAll
    static void stop() {
        routing.close();
    }

    @Test
    void manyInstancesRoutingAtOnceNeverAssignTwiceNeverOverfillAnAgentAndLoseNothing() throws Exception {
        for (int a = 0; a < AGENTS; a++) {
            routing.get(a)
                    .presence()
                    .register(new AgentRegistration("agent-" + a, null, Map.of("billing", 3), List.of("en"), 100, 100));
        }
        ExecutorService pool = Executors.newFixedThreadPool(24);
        List<Future<RouteResult>> routed = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            int n = i;
            routed.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                RouteResult result = routing.get(n)
                        .sessions()
                        .route(
                                new RouteRequest(
                                        "s-" + n,
                                        "c-" + n,
                                        random.nextInt(10) == 0 ? Channel.PHONE : Channel.WEB,
                                        "en",
                                        Map.of(),
                                        null),
                                random.nextBoolean() ? Priority.PREMIUM : Priority.STANDARD)
                        .result();
                if (n > 10 && random.nextInt(3) == 0) {
                    // Close an earlier session through another instance: backfill races with routing.
                    try {
                        routing.get(n + 1)
                                .sessions()
                                .close(new CloseRequest("s-" + random.nextInt(n), Outcome.RESOLVED));
                    } catch (Problem notRoutedYet) {
                        assertThat(notRoutedYet.status()).isEqualTo(404);
                    }
                }
                return result;
            }));
        }
        for (Future<RouteResult> f : routed) {
            assertThat(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).state())
                    .isIn(SessionState.ASSIGNED, SessionState.QUEUED, SessionState.CLOSED);
        }
        pool.shutdown();

        // Whatever waits, waits only because every agent is full.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            AuditReport audit = routing.get(0).audit().run();
            assertThat(audit.violations()).isEmpty();
            assertThat(audit.queued() + audit.assigned() + audit.closed()).isEqualTo(SESSIONS);
            int smallestWaiting =
                    waitingCosts().stream().mapToInt(Integer::intValue).min().orElse(Integer.MAX_VALUE);
            assertThat(largestFreeRoom())
                    .as("an agent has room while a session it could take waits")
                    .isLessThan(smallestWaiting);
        });

        // Closing everything served drains the queue through backfill, until all are closed.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (int i = 0; i < SESSIONS; i++) {
                RouteResult s = routing.get(i).sessions().get("s-" + i);
                if (s.state() == SessionState.ASSIGNED) {
                    routing.get(i + 2).sessions().close(new CloseRequest(s.sessionId(), Outcome.RESOLVED));
                }
            }
            AuditReport audit = routing.get(1).audit().run();
            assertThat(audit.violations()).isEmpty();
            assertThat(audit.closed()).isEqualTo(SESSIONS);
        });
    }

    private static List<Integer> waitingCosts() {
        List<Integer> costs = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            var kv = routing.clients.get(0).get(Keyspace.session("s-" + i), "test");
            Session s = RoutingJson.decode(kv.getValue(), Session.class);
            if (s.state() == SessionState.QUEUED) {
                costs.add(s.cost());
            }
        }
        return costs;
    }

    private static int largestFreeRoom() {
        int free = 0;
        for (int a = 0; a < AGENTS; a++) {
            var kv = routing.clients.get(0).get(Keyspace.load("agent-" + a), "test");
            free = Math.max(
                    free,
                    100 - RoutingJson.decode(kv.getValue(), AgentLoad.class).used());
        }
        return free;
    }

    @Test
    void concurrentDecisionsOnOneInstanceSpreadOverAgentsInsteadOfRacingForOne() throws Exception {
        // Each caller alone would pick the agent idle longest; sixteen at once on one instance
        // must not all race for that one agent (each lost race is a wasted etcd round trip).
        try (RoutingInstances one = RoutingInstances.start(EtcdCluster.single(), 1)) {
            RoutingInstance instance = one.get(0);
            for (int a = 0; a < 48; a++) {
                instance.presence()
                        .register(new AgentRegistration("spread-" + a, null, Map.of(), List.of("de"), 1000, 100));
            }
            await().atMost(TIMEOUT)
                    .until(() -> one.registries
                                    .get(0)
                                    .get(RoutingMetrics.AGENTS)
                                    .tag("status", "available")
                                    .gauge()
                                    .value()
                            == 48);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<RouteResult>> routed = new ArrayList<>();
            for (int i = 0; i < 320; i++) {
                int n = i;
                routed.add(pool.submit(() -> instance.sessions()
                        .route(
                                new RouteRequest("spread-s-" + n, "c", Channel.WEB, "de", Map.of(), null),
                                Priority.STANDARD)
                        .result()));
            }
            for (Future<RouteResult> f : routed) {
                assertThat(f.get(60, TimeUnit.SECONDS).state()).isEqualTo(SessionState.ASSIGNED);
            }
            pool.shutdown();
            double conflicts = one.registries
                    .get(0)
                    .counter(RoutingMetrics.ASSIGNMENT_CONFLICTS, "region", "cn-north")
                    .count();
            // Without the pass-over it is hundreds (736 seen); a few remain possible when the view lags.
            assertThat(conflicts)
                    .as("assignment transactions that lost a race, for 320 sessions")
                    .isLessThan(64);
            assertThat(instance.audit().run().violations()).isEmpty();
        }
    }
}
