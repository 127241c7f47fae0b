package io.meshdesk.routing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.routing.lifecycle.RouteRequest;
import io.meshdesk.routing.presence.AgentRegistration;
import io.meshdesk.routing.session.Channel;
import io.meshdesk.routing.session.Priority;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README, "Routing rules", Choice: without a preferred agent the session goes to the agent idle
 * longest since its last assignment, that idle time scaled by the agent's weight. The instance
 * runs on a clock the test moves, so idle times are exact and each choice is known in advance.
 */
@Timeout(60)
class AgentChoiceTest {

    static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

    static final MovableClock CLOCK = new MovableClock();
    static RoutingInstances routing;

    @BeforeAll
    static void start() {
        routing = RoutingInstances.start(
                EtcdCluster.single(), 1, RoutingInstances.SETTINGS, CLOCK, RoutingInstances::connect);
    }

    @AfterAll
    static void stop() {
        routing.close();
    }

    @Test
    void eachSessionGoesToTheAgentIdleLongestSinceItsLastAssignment() {
        // Registering counts as the start of the idle time: a idles longest, then b, then c.
        register("li", "li-a", 100, T0);
        register("li", "li-b", 100, T0.plusSeconds(10));
        register("li", "li-c", 100, T0.plusSeconds(20));

        assertThat(List.of(
                        routeAt("li", "li-1", T0.plusSeconds(30)),
                        routeAt("li", "li-2", T0.plusSeconds(31)),
                        routeAt("li", "li-3", T0.plusSeconds(32)),
                        routeAt("li", "li-4", T0.plusSeconds(33))))
                .as("a idled 30 s; then b 21 s; then c 12 s; then a again, assigned 3 s ago, over b (2 s) and c (1 s)")
                .containsExactly("li-a", "li-b", "li-c", "li-a");
    }

    @Test
    void weightScalesTheIdleTimeSoALightAgentWaitsLongerForItsTurn() {
        // Weight 25 counts a quarter of the idle time: after 20 s "light" scores 5 s against
        // heavy's 10 s, though it idled twice as long. Unscaled, the order would be the reverse.
        register("ws", "ws-light", 25, T0);
        register("ws", "ws-heavy", 100, T0.plusSeconds(10));

        assertThat(List.of(
                        routeAt("ws", "ws-1", T0.plusSeconds(20)),
                        routeAt("ws", "ws-2", T0.plusSeconds(21)),
                        routeAt("ws", "ws-3", T0.plusSeconds(22))))
                .as("heavy (10 s x 1 over 20 s x 0.25); light (21 s x 0.25 over 1 s); heavy (2 s over 1 s x 0.25)")
                .containsExactly("ws-heavy", "ws-light", "ws-heavy");
    }

    private static void register(String language, String agentId, int weight, Instant at) {
        CLOCK.set(at);
        routing.get(0)
                .presence()
                .register(new AgentRegistration(agentId, null, Map.of(), List.of(language), 100, weight));
    }

    /** Routes a chat at the given moment and answers the agent it went to. */
    private static String routeAt(String language, String sessionId, Instant at) {
        CLOCK.set(at);
        return routing.get(0)
                .sessions()
                .route(
                        new RouteRequest(sessionId, "c-" + sessionId, Channel.WEB, language, Map.of(), null),
                        Priority.STANDARD)
                .result()
                .agentId();
    }

    /** A clock that stands still until the test moves it. */
    static final class MovableClock extends Clock {
        private volatile Instant now = T0;

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
