package io.meshdesk.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.meshdesk.etcd.EtcdUnavailableException;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.routing.audit.AuditReport;
import io.meshdesk.routing.lifecycle.RouteRequest;
import io.meshdesk.routing.lifecycle.RouteResult;
import io.meshdesk.routing.presence.AgentRegistration;
import io.meshdesk.routing.session.Channel;
import io.meshdesk.routing.session.Priority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 3-member etcd loses its leader while two routing instances route sessions. Calls caught in
 * the election fail with 503 and are retried with the same session id, as a client would; in
 * the end every session exists once and the audit holds.
 */
@Timeout(180)
class EtcdFailoverTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final int SESSIONS = 150;

    static RoutingInstances routing;

    @BeforeAll
    static void start() {
        routing = RoutingInstances.start(EtcdCluster.threeMembers(), 2);
    }

    @AfterAll
    static void stop() {
        routing.close();
    }

    @Test
    void killingTheLeaderMidTrafficLosesAndDoublesNothing() throws Exception {
        for (int a = 0; a < 4; a++) {
            routing.get(a)
                    .presence()
                    .register(new AgentRegistration("agent-" + a, null, Map.of(), List.of("en"), 100, 100));
        }
        AtomicInteger unavailable = new AtomicInteger();
        CountDownLatch halfway = new CountDownLatch(SESSIONS / 3);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<RouteResult>> routed = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            int n = i;
            routed.add(pool.submit(() -> {
                RouteRequest request = new RouteRequest("s-" + n, "c-" + n, Channel.WEB, "en", Map.of(), null);
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (true) {
                    try {
                        RouteResult result = routing.get(n)
                                .sessions()
                                .route(request, Priority.STANDARD)
                                .result();
                        halfway.countDown();
                        return result;
                    } catch (EtcdUnavailableException p) {
                        if (System.nanoTime() > deadline) {
                            throw p;
                        }
                        unavailable.incrementAndGet();
                        await().pollDelay(Duration.ofMillis(200)).until(() -> true);
                    }
                }
            }));
        }
        assertThat(halfway.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        int leader = routing.etcd.leaderIndex();
        routing.etcd.kill(leader);

        for (Future<RouteResult> f : routed) {
            assertThat(f.get(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS).sessionId())
                    .startsWith("s-");
        }
        pool.shutdown();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            routing.sweepAll();
            AuditReport audit = routing.get(0).audit().run();
            assertThat(audit.violations()).isEmpty();
            assertThat(audit.queued() + audit.assigned()).isEqualTo(SESSIONS);
            assertThat(audit.assigned()).isEqualTo(16);
        });
        routing.etcd.restart(leader);
    }
}
