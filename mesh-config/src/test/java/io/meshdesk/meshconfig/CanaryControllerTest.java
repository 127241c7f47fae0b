package io.meshdesk.meshconfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.meshdesk.localservers.PrometheusServer;
import io.meshdesk.meshconfig.canary.Decision;
import io.meshdesk.meshconfig.canary.Progress;
import io.meshdesk.meshconfig.canary.ProgressStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The canary controller end to end: packaged routing instances on a real etcd (stable v1; each
 * candidate with its shadow-mode mirror target; the bad ones through fault injection), customers'
 * calls with real tokens, a real Prometheus scraping their /q/metrics every second, the
 * Kubernetes API from fabric8's mock server in CRUD mode, intervals of three seconds. The test
 * that needs no instance runs first, while the instances start.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CanaryControllerTest {

    static final Duration TIMEOUT = Duration.ofSeconds(45);
    static final Duration POLL = Duration.ofMillis(200);
    static PrometheusServer prometheus;
    static RoutingVersions versions;

    @BeforeAll
    static void prometheusAndTheRoutingVersions() throws IOException {
        versions = new RoutingVersions()
                .start("v1", false, Map.of())
                .start("v2", true, Map.of())
                .start("v3", true, Map.of("meshdesk.fault.error-percent", "40"))
                .start("v6", false, Map.of("meshdesk.fault.latency", "1500ms"));
        prometheus = CanaryRig.prometheus();
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        versions.close();
    }

    private static Progress progress(CanaryRig rig) {
        return new ProgressStore(rig.client, "meshdesk").read("routing").orElseThrow();
    }

    /** meshctl canary run's arguments for a canary file, against the test's Prometheus, polling fast. */
    private static String[] runArgs(Path canaryFile) {
        return new String[] {
            "canary",
            "run",
            canaryFile.toString(),
            "--prometheus",
            prometheus.url().toString(),
            "--poll",
            "200ms"
        };
    }

    /** The step the cluster records, -1 before the rollout has started. */
    private static int step(CanaryRig rig) {
        return new ProgressStore(rig.client, "meshdesk")
                .read("routing")
                .map(Progress::step)
                .orElse(-1);
    }

    /** pause, resume or abort as its own OS process, with the kubeconfig in the environment as a user's shell has it. */
    private static Repo.Run control(CanaryRig rig, String command) {
        Repo.Run r = MeshctlProcess.run(
                TIMEOUT, rig.kubeconfig(), rig.sources("canary", command, rig.canaryFile.toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r;
    }

    @Test
    @Order(2)
    void aGoodCandidateIsMirroredThenTakesEveryStepAndIsPromoted() throws IOException {
        // The promotion gate says no once (counted as one failure), then yes.
        AtomicInteger confirmCalls = new AtomicInteger();
        HttpServer confirm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        confirm.createContext("/confirm", ex -> {
            ex.sendResponseHeaders(confirmCalls.incrementAndGet() == 1 ? 503 : 204, -1);
            ex.close();
        });
        confirm.start();
        try (CanaryRig rig = new CanaryRig(
                prometheus,
                versions,
                "v2",
                CanaryRig.analysis(
                        "webhooks", List.of(CanaryRig.webhook("gate", "confirmPromotion", confirm, "/confirm"))),
                true)) {
            Repo.Run run = Repo.meshctl(rig.meshctl(runArgs(rig.canaryFile)));
            assertThat(run.exitCode())
                    .as(() -> run.output()
                            + Repo.meshctl(rig.meshctl("canary", "status", rig.canaryFile.toString()))
                                    .output())
                    .isZero();
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(rig.traffic.weights()).containsExactly(0, 20, 50, 100));
            assertThat(rig.traffic.mirrors()).containsExactly(50, 0);
            Progress p = progress(rig);
            assertThat(p.status()).isEqualTo(Progress.Status.promoted);
            assertThat(p.log()).extracting(Progress.LogEntry::decision).doesNotContain(Decision.ROLLBACK);
            assertThat(run.output())
                    .contains("started mirror phase at 50%")
                    .contains("advanced from 0% to step 1 at 20%")
                    .contains("advanced from 20% to step 2 at 50%")
                    .contains("promoted: routing-v2-");
            Repo.Run status = Repo.meshctl(rig.meshctl("canary", "status", rig.canaryFile.toString()));
            assertThat(status.output()).contains("cn-north: promoted").contains("request-success-rate pass");
            assertThat(confirmCalls.get()).isEqualTo(2);
            assertThat(p.log()).anySatisfy(e -> assertThat(e.reason()).isEqualTo("webhook gate answered HTTP 503"));
            assertThat(p.failures()).isEqualTo(1);
            // The mirror went to the candidate in shadow mode, which decided without committing.
            JsonNode shadow =
                    prometheus.query("sum by (instance) (meshdesk_shadow_decisions_total{function=\"routing\"})");
            assertThat(shadow).singleElement().satisfies(s -> {
                assertThat(s.at("/metric/instance").asText())
                        .isEqualTo(rig.candidate.mirror().target());
                assertThat(s.at("/value/1").asDouble()).isPositive();
            });
        } finally {
            confirm.stop(0);
        }
    }

    @Test
    @Order(3)
    void aCandidateThatFailsRequestsIsRolledBackWithinThresholdIntervalsAndTheRoutesAreRestored() {
        // v3 (and its mirror target) fail 40% of requests: meshdesk.fault.error-percent.
        try (CanaryRig rig = new CanaryRig(prometheus, versions, "v3", CanaryRig.analysis(), true)) {
            Progress end = CompletableFuture.supplyAsync(() -> run(rig))
                    .orTimeout(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                    .join();
            assertThat(end.status()).isEqualTo(Progress.Status.rolledBack);
            // Every analysis failed: started, one hold, then the rollback at threshold 2.
            assertThat(end.log())
                    .extracting(Progress.LogEntry::decision)
                    .containsExactly(Decision.ADVANCE, Decision.HOLD, Decision.ROLLBACK);
            assertThat(end.log().get(2).checks())
                    .anySatisfy(c -> assertThat(c.name() + " " + c.verdict()).isEqualTo("request-success-rate fail"));
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(rig.traffic.seen.get(rig.traffic.seen.size() - 1))
                            .isEqualTo(new MeshTraffic.Routing(0, 0)));
            assertThat(rig.traffic.weights()).containsExactly(0);
        }
    }

    @Test
    @Order(1)
    void withNoTrafficTheRolloutHoldsCallsTheLoadWebhookAndRollsBackAtTheDeadlineNeverPromoting() throws IOException {
        AtomicInteger loadCalls = new AtomicInteger();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/load", ex -> {
            loadCalls.incrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        Map<String, Object> load = CanaryRig.webhook("load", "preRollout", hook, "/load");
        load.put("timeout", "2s");
        // No instance of v4 runs: no request reaches it.
        try (CanaryRig rig = new CanaryRig(
                prometheus,
                versions,
                "v4",
                CanaryRig.analysis("progressDeadline", "8s", "webhooks", List.of(load)),
                false)) {
            Progress end = CompletableFuture.supplyAsync(() -> run(rig))
                    .orTimeout(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                    .join();
            assertThat(end.status()).isEqualTo(Progress.Status.rolledBack);
            assertThat(end.log().get(end.log().size() - 1).reason()).contains("past progressDeadline 8s");
            assertThat(end.log().subList(1, end.log().size()))
                    .extracting(Progress.LogEntry::decision)
                    .doesNotContain(Decision.ADVANCE);
            assertThat(end.log().subList(1, end.log().size() - 1)).allSatisfy(e -> {
                assertThat(e.decision()).isEqualTo(Decision.HOLD);
                assertThat(e.checks())
                        .allSatisfy(c -> assertThat(c.verdict().toString()).isEqualTo("no-data"));
            });
            assertThat(loadCalls.get())
                    .as("the load webhook runs at the start and on every no-data hold")
                    .isGreaterThanOrEqualTo(end.log().size() - 1);
            assertThat(rig.traffic.weights()).containsExactly(0);
        } finally {
            hook.stop(0);
        }
    }

    @Test
    @Order(4)
    void aControllerKilledMidRolloutResumesFromTheClusterAndObeysPauseResumeAndAbortFromAnotherProcess() {
        // More steps than the test goes through: a pause lands wherever the rollout is by then.
        List<Integer> steps = List.of(10, 20, 30, 40, 50, 60, 70);
        try (CanaryRig rig =
                new CanaryRig(prometheus, versions, "v2", CanaryRig.analysis("stepWeights", steps), true)) {
            String[] run = rig.sources(runArgs(rig.canaryFile));
            try (MeshctlProcess first = MeshctlProcess.start(rig.kubeconfig(), run)) {
                await().atMost(TIMEOUT).until(() -> step(rig) == 1);
                // Killed as soon as the step is recorded: maybe before it set the weights or said so.
                first.kill();
                assertThat(first.output()).contains("started mirror phase at 50%");
            }

            CompletableFuture<Progress> second = CompletableFuture.supplyAsync(() -> run(rig));
            await().atMost(TIMEOUT).until(() -> step(rig) == 2);
            assertThat(control(rig, "pause").output()).contains("paused by");
            int paused = progress(rig).step();
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(rig.metrics.scrape())
                            .contains(
                                    "meshdesk_canary_phase{canary=\"routing\",phase=\"paused\",region=\"cn-north\"} 1.0")
                            .contains("meshdesk_canary_weight{canary=\"routing\",region=\"cn-north\"} "
                                    + steps.get(paused - 1) + ".0"));
            long heldBefore = pausedTicks(rig);
            await().atMost(TIMEOUT).until(() -> pausedTicks(rig) >= heldBefore + 2);
            assertThat(progress(rig).step()).isEqualTo(paused);
            assertThat(rig.traffic.weights()).last().isEqualTo(steps.get(paused - 1));

            control(rig, "resume");
            await().atMost(TIMEOUT).until(() -> step(rig) > paused);
            // Paused again before aborting, so that the abort lands at a step the test knows.
            control(rig, "pause");
            int abortedAt = progress(rig).step();
            assertThat(control(rig, "abort").output()).contains("aborted by");
            Progress end = second.orTimeout(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                    .join();
            assertThat(end.status()).isEqualTo(Progress.Status.aborted);
            assertThat(end.step()).isEqualTo(abortedAt);
            assertThat(rig.metrics.scrape())
                    .contains("meshdesk_canary_phase{canary=\"routing\",phase=\"aborted\",region=\"cn-north\"} 1.0")
                    .contains("meshdesk_canary_weight{canary=\"routing\",region=\"cn-north\"} 0.0")
                    .contains(
                            "meshdesk_canary_last_decision{canary=\"routing\",decision=\"rollback\",region=\"cn-north\"} 1.0")
                    .contains(
                            "meshdesk_canary_decisions_total{canary=\"routing\",decision=\"rollback\",region=\"cn-north\"} 1.0");
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(rig.traffic.seen.get(rig.traffic.seen.size() - 1))
                            .isEqualTo(new MeshTraffic.Routing(0, 0)));
            // The second controller went on from step 1 (never the mirror phase again), one step at a time.
            List<Integer> planned = new java.util.ArrayList<>(List.of(0));
            planned.addAll(steps.subList(0, abortedAt));
            planned.add(0);
            assertThat(rig.traffic.weights()).containsExactlyElementsOf(planned);
            assertThat(rig.traffic.mirrors()).containsExactly(50, 0);
        }
    }

    private static long pausedTicks(CanaryRig rig) {
        return progress(rig).log().stream()
                .filter(e -> e.reason().startsWith("paused:"))
                .count();
    }

    @Test
    @Order(6)
    void analyzePrintsEveryCheckWithItsExactQueryAndExitsByDecision() throws IOException {
        // v6 answers every request 1.5 s late: meshdesk.fault.latency.
        try (CanaryRig rig = new CanaryRig(
                prometheus,
                versions,
                "v6",
                CanaryRig.analysis("threshold", 1, "metrics", CanaryRig.LATENCY_GATE),
                false)) {
            Repo.Run none = Repo.meshctl(rig.analyze(prometheus.url().toString(), "0", "--json"));
            assertThat(none.exitCode()).as(none.output()).isEqualTo(3);
            JsonNode json = new ObjectMapper().readTree(none.output());
            assertThat(json.path("decision").asText()).isEqualTo("hold");
            assertThat(json.path("checks")).hasSize(2).allSatisfy(c -> {
                assertThat(c.path("verdict").asText()).isEqualTo("no-data");
                assertThat(c.path("samples").asLong()).isZero();
            });
            assertThat(json.path("checks").get(0).path("query").asText())
                    .isEqualTo(
                            "100 * sum(rate("
                                    + "http_server_requests_seconds_count{function=\"routing\",version=\"v6\",status!~\"5..\"}[3s])) "
                                    + "/ sum(rate(http_server_requests_seconds_count{function=\"routing\",version=\"v6\"}[3s]))");

            rig.traffic.sending.set(true);
            new io.meshdesk.meshconfig.canary.Routes(rig.client, "meshdesk", "routing")
                    .set(progressOrStable(rig), rig.templateName(), 50, 0);
            await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Repo.Run r = Repo.meshctl(rig.analyze(prometheus.url().toString(), "2"));
                assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
            });
            Repo.Run slow = Repo.meshctl(rig.analyze(prometheus.url().toString(), "2"));
            assertThat(slow.output())
                    .contains("request-duration-p99-ms")
                    .contains("above max 1000.0")
                    .contains("decision: rollback")
                    .contains("1000 * histogram_quantile(0.99");
        }
    }

    @Test
    @Order(5)
    void theLongRunningControllerGoesRegionByRegionInTopologyOrder() {
        try (CanaryRig rig = new CanaryRig(
                prometheus,
                versions,
                "v2",
                CanaryRig.analysis("stepWeights", List.of(50)),
                true,
                List.of("cn-north", "us-east"))) {
            String[] args = rig.meshctl(
                    "canary", "controller", "--prometheus", prometheus.url().toString(), "--poll", "200ms");
            Repo.Run run = Repo.meshctl(args);
            assertThat(run.exitCode()).as(run.output()).isZero();
            for (String region : List.of("cn-north", "us-east")) {
                MeshTraffic t = rig.trafficIn.get(region);
                await().atMost(TIMEOUT)
                        .untilAsserted(() -> assertThat(t.weights()).containsExactly(0, 50, 100));
            }
            // us-east started only once cn-north was promoted.
            String out = run.output();
            assertThat(out.indexOf("in us-east: started")).isGreaterThan(out.indexOf("in cn-north: advance: promoted"));
        }
    }

    private static String progressOrStable(CanaryRig rig) {
        return new io.meshdesk.meshconfig.canary.Routes(rig.client, "meshdesk", "routing")
                .stableRevision(rig.templateName());
    }

    private static Progress run(CanaryRig rig) {
        try {
            return rig.rollout().run(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
