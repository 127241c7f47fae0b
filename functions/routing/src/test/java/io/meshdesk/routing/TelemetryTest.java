package io.meshdesk.routing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.PutOption;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.testing.EtcdTestResource;
import io.meshdesk.localservers.LogCapture;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What ops rely on when they follow a customer: one trace from the request through etcd to the
 * event another function receives; log levels that change live from etcd; an event sink that
 * fails fast while its receiver is sick and recovers by itself.
 */
@QuarkusTest
@TestProfile(TelemetryTest.FastBreaker.class)
@QuarkusTestResource(EtcdTestResource.class)
@QuarkusTestResource(EventCapture.class)
@Timeout(120)
class TelemetryTest {

    /** The breaker's wait and the retries shortened, so the test sees it open and close. */
    public static class FastBreaker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "io.meshdesk.events.CloudEventDelivery/deliver/CircuitBreaker/delay",
                    Long.toString(BREAKER_DELAY.toMillis()),
                    "io.meshdesk.events.CloudEventDelivery/deliver/Retry/delay",
                    "20",
                    "io.meshdesk.events.CloudEventDelivery/deliver/Retry/jitter",
                    "10",
                    "quarkus.otel.bsp.schedule.delay",
                    "50ms",
                    "meshdesk.routing.agent-lease-ttl",
                    "60s");
        }
    }

    static final Duration BREAKER_DELAY = Duration.ofMillis(1500);

    private static final String LEVELS = "/meshdesk/config/log-level/routing/io.meshdesk.routing";

    @Inject
    InMemorySpanExporter spans;

    @Inject
    BlockingEtcd etcd;

    private LogCapture logs;

    @BeforeEach
    void listen() {
        EventCapture.answer(202);
        logs = LogCapture.of("io.meshdesk");
    }

    @AfterEach
    void stopListening() {
        logs.close();
        EventCapture.answer(202);
    }

    @Test
    void aJourneyFromRouteToTheClosedEventIsOneTrace() {
        String trace = hex(32);
        Api.ok(Api.call("agent-register", Map.of("agentId", "tr-a", "languages", List.of("tr"))));
        given(trace, Api.tokenFor("session-route", Map.of()))
                .body(Map.of("sessionId", "tr-s", "customerId", "c", "channel", "web", "language", "tr"))
                .post("/session-route")
                .then()
                .statusCode(200);
        given(trace, Api.tokenFor("session-close", Map.of()))
                .body(Map.of("sessionId", "tr-s", "outcome", "resolved"))
                .post("/session-close")
                .then()
                .statusCode(200);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !EventCapture.of("meshdesk.session.closed", "tr-s").isEmpty());
        String sent = EventCapture.of("meshdesk.session.closed", "tr-s").get(0).traceparent();
        assertThat(sent)
                .as("the event carries the caller's trace to the next function")
                .contains(trace);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<SpanData> journey = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(trace))
                    .toList();
            assertThat(journey)
                    .anyMatch(s -> s.getKind() == SpanKind.SERVER && s.getName().contains("session-route"));
            assertThat(journey)
                    .anyMatch(s -> s.getKind() == SpanKind.SERVER && s.getName().contains("session-close"));
            assertThat(journey)
                    .anyMatch(s -> s.getName().equals("etcd txn")
                            && s.getAttributes().asMap().toString().contains("tr-s"));
            assertThat(journey)
                    .anyMatch(s ->
                            s.getKind() == SpanKind.PRODUCER && s.getName().equals("publish meshdesk.session.closed"));
            SpanData route = journey.stream()
                    .filter(s -> s.getName().contains("session-route"))
                    .findFirst()
                    .orElseThrow();
            assertThat(route.getAttributes().asMap().toString()).contains("tr-s");
        });
    }

    @Test
    void everyRoutingDecisionIsOneInfoLineNamingSessionOutcomeAgentAndWait() {
        // Straight to an agent: the session-route call's line.
        Api.ok(Api.call("agent-register", Map.of("agentId", "one-a", "languages", List.of("one"), "capacity", 25)));
        Api.call("session-route", Map.of("sessionId", "one-1", "customerId", "c", "channel", "web", "language", "one"))
                .then()
                .statusCode(200);
        // Queued while the agent is full, then assigned by the backfill when the first one closes.
        Api.call("session-route", Map.of("sessionId", "one-2", "customerId", "c", "channel", "web", "language", "one"))
                .then()
                .statusCode(200);
        Api.call("session-close", Map.of("sessionId", "one-1", "outcome", "resolved"))
                .then()
                .statusCode(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(decisionLines("one-1"))
                    .singleElement()
                    .asString()
                    .contains("session one-1 assigned to agent one-a (waited ", "decided in ");
            assertThat(decisionLines("one-2")).hasSize(2);
            assertThat(decisionLines("one-2").get(0)).contains("session one-2 queued", "waited -");
            assertThat(decisionLines("one-2").get(1))
                    .contains("session one-2 assigned to agent one-a from the queue", "waited ");
        });
    }

    private List<String> decisionLines(String session) {
        return logs.records().stream()
                .filter(r -> r.getLevel().intValue() == java.util.logging.Level.INFO.intValue())
                .map(LogCapture::formatted)
                .filter(m -> m.startsWith("routing decision: session " + session + " "))
                .toList();
    }

    /** README, "Levels at run time": a level put in etcd (or deleted) is applied within a second. */
    static final Duration LEVEL_PROMISE = Duration.ofSeconds(1);
    /** The test's own polling (every 20 ms, each poll one logger lookup) on top of the promise. */
    static final Duration POLL_MARGIN = Duration.ofMillis(100);
    /** etcd removes an expired lease's keys at its next expiry check, which runs every 500 ms. */
    static final Duration ETCD_EXPIRY_CHECK = Duration.ofMillis(500);

    private static final String CATEGORY = LEVELS.substring(LEVELS.lastIndexOf('/') + 1);

    private static boolean debugOn(String category) {
        return java.util.logging.Logger.getLogger(category).isLoggable(java.util.logging.Level.FINE);
    }

    @Test
    void aLevelPutInEtcdTurnsDebugOnWithinASecondAndDeletingItTurnsItOff() {
        Api.ok(Api.call("agent-register", Map.of("agentId", "lv-a", "languages", List.of("lv"))));
        // The watch starts in the background at start-up: wait for it once, on another category.
        put(LEVELS + ".warm-up", "DEBUG", 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> debugOn("io.meshdesk.routing.warm-up"));
        etcd.await(etcd.kv().delete(bytes(LEVELS + ".warm-up")), "test");
        route("lv-1");
        assertThat(debugLines()).as("no debug lines at the configured INFO").isZero();

        // The README's promise: "applied within a second".
        put(LEVELS, "debug", 0);
        awaitLevel(LEVEL_PROMISE, java.util.logging.Level.FINE);
        route("lv-on");
        assertThat(debugLines()).as("debug lines once the level is applied").isPositive();

        put(LEVELS, "LOUDER", 0);
        await().atMost(LEVEL_PROMISE.plus(POLL_MARGIN))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> logs.records().stream()
                        .anyMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()
                                && r.getMessage() != null
                                && String.valueOf(LogCapture.formatted(r)).contains("not a log level")));
        logs.clear();
        route("lv-still");
        assertThat(debugLines()).as("a bad value leaves the level as it was").isPositive();

        etcd.await(etcd.kv().delete(bytes(LEVELS)), "test");
        awaitLevel(LEVEL_PROMISE, null);
        logs.clear();
        route("lv-off");
        assertThat(debugLines()).as("no debug lines once the key is gone").isZero();
    }

    @Test
    void aDebugWindowPutWithALeaseEndsByItself() {
        Duration ttl = Duration.ofSeconds(2);
        long granted = System.nanoTime();
        long lease = etcd.grantLease(ttl.toSeconds(), "test");
        put(LEVELS, "DEBUG", lease);
        awaitLevel(LEVEL_PROMISE, java.util.logging.Level.FINE);
        route("win-on");
        assertThat(debugLines()).isPositive();

        // The window ends when etcd lets the lease go (its TTL, then its next expiry check)
        // and the deletion is applied like any other: within the promise.
        Duration left = ttl.plus(ETCD_EXPIRY_CHECK).minusNanos(System.nanoTime() - granted);
        awaitLevel(left.plus(LEVEL_PROMISE), null);
        logs.clear();
        route("win-off");
        assertThat(debugLines()).isZero();
    }

    /**
     * Waits at most within plus the polling margin until the category's own level is level
     * (null: back to the configured, inherited level).
     */
    private static void awaitLevel(Duration within, java.util.logging.Level level) {
        await().atMost(within.plus(POLL_MARGIN))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    java.util.logging.Level now =
                            java.util.logging.Logger.getLogger(CATEGORY).getLevel();
                    return level == null ? now == null : now != null && now.intValue() == level.intValue();
                });
    }

    /**
     * The breaker of CloudEventDelivery (3 failures of the last 4 calls open it, for {@link
     * #BREAKER_DELAY}; then one probe) as the sick receiver sees it: it stops being called after
     * at most 4 attempts, hears nothing while the breaker is open however many decisions are
     * made, then exactly one probe per open interval, and everything again once it is well.
     * Without the breaker every event would reach it 5 times (1 + 4 retries).
     */
    @Test
    void theEventSinkStopsCallingASickReceiverUntilTheBreakerProbesAndRecoversByItself() {
        Api.ok(Api.call("agent-register", Map.of("agentId", "cb-a", "languages", List.of("cb"))));
        EventCapture.answer(503);
        int before = EventCapture.attempts();
        route("cb-0"); // one decision, one event: its attempts alone reach the receiver
        int opened = awaitAttemptsSettle() - before;
        assertThat(opened)
                .as("attempts before the breaker opened (3 or 4 of the window of 4 failed; 5+ without it)")
                .isBetween(3, 4);

        Instant firstProbe = awaitProbe("cb-probe-1-");
        Instant secondProbe = awaitProbe("cb-probe-2-");
        assertThat(Duration.between(firstProbe, secondProbe))
                .as("a failed probe opens the breaker again for the whole interval")
                .isGreaterThanOrEqualTo(BREAKER_DELAY);

        EventCapture.answer(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            routeAndClose("cb-after-" + System.nanoTime());
            assertThat(EventCapture.received())
                    .anyMatch(r -> r.subject() != null
                            && r.subject().startsWith("cb-after-")
                            && r.type().equals("meshdesk.session.closed"));
        });
    }

    /**
     * Makes decisions (each sends events) until one reaches the receiver, and returns when that
     * was: it must be exactly one attempt (the half-open probe), at least the open interval after
     * the attempt before it, although every decision in between sent events too.
     */
    private Instant awaitProbe(String sessions) {
        int before = EventCapture.attempts();
        Instant last = EventCapture.attemptTimes().get(before - 1);
        await().atMost(BREAKER_DELAY.multipliedBy(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    route(sessions + System.nanoTime());
                    return EventCapture.attempts() > before;
                });
        assertThat(awaitAttemptsSettle() - before)
                .as("one probe per open interval")
                .isEqualTo(1);
        Instant probe = EventCapture.attemptTimes().get(before);
        assertThat(Duration.between(last, probe))
                .as("the open breaker sent nothing for its interval")
                .isGreaterThanOrEqualTo(BREAKER_DELAY);
        return probe;
    }

    /** The attempt count once it stops moving (two polls 500 ms apart, many retry delays, agree). */
    private static int awaitAttemptsSettle() {
        AtomicInteger seen = new AtomicInteger(-1);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    int now = EventCapture.attempts();
                    return seen.getAndSet(now) == now;
                });
        return EventCapture.attempts();
    }

    private long debugLines() {
        return logs.records().stream()
                .filter(r -> r.getLevel().intValue() < java.util.logging.Level.INFO.intValue()
                        && String.valueOf(LogCapture.formatted(r)).contains("session-route asked"))
                .count();
    }

    private static void route(String session) {
        Api.call("session-route", Map.of("sessionId", session, "customerId", "c", "channel", "web", "language", "zz"))
                .then()
                .statusCode(200);
    }

    private static void routeAndClose(String session) {
        Api.call("session-route", Map.of("sessionId", session, "customerId", "c", "channel", "web", "language", "cb"))
                .then()
                .statusCode(200);
        Api.call("session-close", Map.of("sessionId", session, "outcome", "resolved"))
                .then()
                .statusCode(200);
    }

    private void put(String key, String value, long lease) {
        etcd.await(
                etcd.kv()
                        .put(
                                bytes(key),
                                bytes(value),
                                lease == 0
                                        ? PutOption.DEFAULT
                                        : PutOption.builder().withLeaseId(lease).build()),
                "test");
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static io.restassured.specification.RequestSpecification given(String trace, String token) {
        return Api.as(token).header("traceparent", "00-" + trace + "-" + hex(16) + "-01");
    }

    private static String hex(int length) {
        StringBuilder s = new StringBuilder();
        while (s.length() < length) {
            s.append(Integer.toHexString(ThreadLocalRandom.current().nextInt(16)));
        }
        return s.toString();
    }
}
