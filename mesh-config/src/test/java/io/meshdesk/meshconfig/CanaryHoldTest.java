package io.meshdesk.meshconfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.meshdesk.localservers.PrometheusServer;
import io.meshdesk.meshconfig.canary.Analysis;
import io.meshdesk.meshconfig.canary.Decision;
import io.meshdesk.meshconfig.canary.Progress;
import io.meshdesk.meshconfig.canary.Prometheus;
import io.meshdesk.meshconfig.canary.Rollout;
import io.meshdesk.meshconfig.canary.SliQueries;
import io.meshdesk.meshconfig.canary.Webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Holds that are not what they look like, without routing instances (fast, unlike
 * CanaryControllerTest): a preRollout load hook that fails is a failure toward the threshold, a
 * Prometheus that cannot be reached is neither low traffic nor a failure and does not run down
 * the progress deadline, and analyze --json has every key of a check even without data.
 */
@Timeout(60)
class CanaryHoldTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static PrometheusServer prometheus;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger hookCalls = new AtomicInteger();
    private final ExecutorService hookThreads = Executors.newCachedThreadPool();
    private HttpServer hook;

    @BeforeAll
    static void emptyPrometheus() {
        prometheus = CanaryRig.prometheus();
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @AfterEach
    void stopHook() {
        release.countDown();
        if (hook != null) {
            hook.stop(0);
        }
        hookThreads.shutdownNow();
    }

    /** A loopback port nothing listens on. */
    static URI closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A clock the test moves, so deadlines of seconds pass without waiting for them. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");

        Instant at(long seconds) {
            return now = Instant.parse("2026-12-01T12:00:00Z").plusSeconds(seconds);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static Rollout rollout(CanaryRig rig, URI prometheusUrl, Clock clock) {
        return new Rollout(
                rig.canary,
                "cn-north",
                rig.client,
                "meshdesk",
                new Analysis(new Prometheus(prometheusUrl), SliQueries.load()),
                new Webhooks(),
                clock,
                said -> {});
    }

    /** The usual analysis plus a check on an SLI recording rule that has no series. */
    private static Map<String, Object> analysisWithARule() {
        Map<String, Object> a = CanaryRig.analysis();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> metrics = new ArrayList<>((List<Map<String, Object>>) a.get("metrics"));
        metrics.add(Map.of("name", "meshdesk:routing_decision_seconds:p99_5m", "max", 0.5));
        a.put("metrics", metrics);
        return a;
    }

    /** analyze --json of the mirror phase, and its checks, each asserted to have all five keys. */
    private static JsonNode analyze(CanaryRig rig, String prometheusUrl, int exitCode) throws IOException {
        Repo.Run r = Repo.meshctl(rig.analyze(prometheusUrl, "0", "--json"));
        assertThat(r.exitCode()).as(r.output()).isEqualTo(exitCode);
        JsonNode json = new ObjectMapper().readTree(r.output());
        assertThat(json.path("decision").asText()).isEqualTo("hold");
        assertThat(json.path("checks"))
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.has("name")
                                && c.has("query")
                                && c.has("value")
                                && c.has("samples")
                                && c.has("verdict"))
                        .as(c.toString())
                        .isTrue());
        return json;
    }

    @Test
    void jsonHasEveryKeyOnEveryCheckEvenWithoutData() throws IOException {
        try (CanaryRig rig = new CanaryRig(prometheus, null, "v8", analysisWithARule(), false)) {
            JsonNode json = analyze(rig, prometheus.url().toString(), 3);
            assertThat(json.path("checks")).hasSize(3).allSatisfy(c -> {
                assertThat(c.path("value").isNull()).as(c.toString()).isTrue();
                assertThat(c.path("verdict").asText()).isEqualTo("no-data");
            });
            assertThat(json.path("checks").get(2).path("query").asText())
                    .isEqualTo("max(meshdesk:routing_decision_seconds:p99_5m)");
        }
    }

    @Test
    void aPreRolloutHookThatAnswersAfterItsTimeoutCountsTowardTheThresholdAndRollsBack() throws IOException {
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.setExecutor(hookThreads);
        hook.createContext("/load", ex -> {
            hookCalls.incrementAndGet();
            try {
                // Answers well after the hook's timeout of 300 ms (or when the test ends).
                release.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        Map<String, Object> load = CanaryRig.webhook("load", "preRollout", hook, "/load");
        load.put("timeout", "300ms");
        try (CanaryRig rig = new CanaryRig(
                prometheus, null, "v8", CanaryRig.analysis("threshold", 2, "webhooks", List.of(load)), false)) {
            Rollout controller = rollout(rig, prometheus.url(), Clock.systemUTC());
            Progress started = controller.start();
            assertThat(started.status()).isEqualTo(Progress.Status.progressing);
            assertThat(started.failures()).isEqualTo(1);
            assertThat(started.log().get(0).reason())
                    .contains("preRollout webhook load did not answer within 300 ms (failure 1 of threshold 2)");

            // No data (Prometheus has none), so the hold runs the hook again: the second failure.
            Progress after = controller.tick();
            assertThat(hookCalls.get()).isEqualTo(2);
            assertThat(after.status()).isEqualTo(Progress.Status.rolledBack);
            assertThat(after.log().get(1).decision()).isEqualTo(Decision.ROLLBACK);
            assertThat(after.log().get(1).reason())
                    .isEqualTo("rolled back: preRollout webhook load did not answer within 300 ms; "
                            + "2 failures reach threshold 2");
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(rig.traffic.seen).last().isEqualTo(new MeshTraffic.Routing(0, 0)));
        }
    }

    @Test
    void analyzeAgainstAPrometheusThatIsDownExits4WithVerdictError() throws IOException {
        URI down = closedPort();
        try (CanaryRig rig = new CanaryRig(prometheus, null, "v8", CanaryRig.analysis(), false)) {
            JsonNode json = analyze(rig, down.toString(), 4);
            assertThat(json.path("checks")).hasSize(2).allSatisfy(c -> {
                assertThat(c.path("verdict").asText()).isEqualTo("error");
                assertThat(c.path("reason").asText())
                        .contains("cannot query Prometheus at " + down)
                        .contains("check that this Prometheus runs and that --prometheus names it");
            });
        }
    }

    @Test
    void aPrometheusOutageHoldsWithoutRunningDownTheProgressDeadline() {
        TestClock clock = new TestClock();
        try (CanaryRig rig =
                new CanaryRig(prometheus, null, "v8", CanaryRig.analysis("progressDeadline", "5s"), false)) {
            Rollout withData = rollout(rig, prometheus.url(), clock);
            Rollout prometheusDown = rollout(rig, closedPort(), clock);
            clock.at(0);
            withData.start();
            clock.at(1);
            assertThat(withData.tick().holdingSince()).isEqualTo(clock.at(1));

            // A minute of outage, far past the deadline of 5 s: held, and nothing counted.
            clock.at(61);
            Progress down = prometheusDown.tick();
            assertThat(down.status()).isEqualTo(Progress.Status.progressing);
            assertThat(down.failures()).isZero();
            Progress.LogEntry held = down.log().get(down.log().size() - 1);
            assertThat(held.decision()).isEqualTo(Decision.HOLD);
            assertThat(held.reason())
                    .startsWith("Prometheus error: weights held, counted toward neither threshold nor progressDeadline")
                    .contains("cannot query Prometheus at http://127.0.0.1:");

            // Back with no data: 3 s of holding with data count, the outage does not.
            clock.at(63);
            assertThat(withData.tick().status()).isEqualTo(Progress.Status.progressing);
            clock.at(70);
            Progress late = withData.tick();
            assertThat(late.status()).isEqualTo(Progress.Status.rolledBack);
            assertThat(late.log().get(late.log().size() - 1).reason()).contains("past progressDeadline 5s");
        }
    }
}
