package io.meshdesk.meshconfig;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpServer;

import io.meshdesk.localservers.PrometheusServer;
import io.meshdesk.meshconfig.canary.Analysis;
import io.meshdesk.meshconfig.canary.Check;
import io.meshdesk.meshconfig.canary.Prometheus;
import io.meshdesk.meshconfig.canary.SliQueries;
import io.meshdesk.meshconfig.canary.Verdict;
import io.meshdesk.meshconfig.model.Canary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * The decision-agreement check of the mirror phase against a real Prometheus, without routing
 * instances (fast, unlike CanaryControllerTest): a stand-in /q/metrics, Micrometer's own
 * Prometheus output under routing's metric names and labels, serves the stable v1's decisions
 * (meshdesk_routing_decision_seconds) and the shadow v2's (meshdesk_shadow_decisions_total),
 * growing on every scrape as mirrored traffic would. Shadow deciding like stable passes; a
 * shadow that queues what stable assigns fails.
 */
@Timeout(60)
class DecisionAgreementTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static PrometheusServer prometheus;
    static HttpServer functions;
    static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Of every 10 new sessions a scrape's worth, how many the shadow would assign (stable assigns 9). */
    static final AtomicInteger shadowAssigns = new AtomicInteger(9);

    @BeforeAll
    static void start() throws IOException {
        prometheus = CanaryRig.prometheus();
        functions = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        functions.createContext("/q/metrics", exchange -> {
            traffic();
            byte[] body = REGISTRY.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        functions.start();
        prometheus.targets(
                "functions",
                List.of(new PrometheusServer.TargetGroup(
                        "127.0.0.1:" + functions.getAddress().getPort(), Map.of("job", "meshdesk-routing"))));
    }

    @AfterAll
    static void stop() {
        if (functions != null) {
            functions.stop(0);
        }
        if (prometheus != null) {
            prometheus.close();
        }
    }

    /** One scrape's worth of mirrored traffic: 10 new sessions decided by stable, their copies by the shadow. */
    private static void traffic() {
        for (String version : List.of("v1", "v2")) {
            record(
                    Timer.builder("http.server.requests")
                            .tags("function", "routing", "version", version, "status", "200")
                            .register(REGISTRY),
                    10);
        }
        decision("assigned", 9);
        decision("queued", 1);
        shadow("assigned", shadowAssigns.get());
        shadow("queued", 10 - shadowAssigns.get());
        // Neither outcome outside assigned/queued weighs in: a copy that found stable's commit first.
        shadow("existing", 3);
    }

    private static void decision(String outcome, int n) {
        record(
                Timer.builder("meshdesk.routing.decision")
                        .tags("region", "cn-north", "outcome", outcome, "function", "routing", "version", "v1")
                        .register(REGISTRY),
                n);
    }

    private static void record(Timer timer, int n) {
        for (int i = 0; i < n; i++) {
            timer.record(Duration.ofMillis(2));
        }
    }

    private static void shadow(String outcome, int n) {
        Counter.builder("meshdesk.shadow.decisions")
                .tags("function", "routing", "version", "v2", "outcome", outcome)
                .register(REGISTRY)
                .increment(n);
    }

    private static Check agreement() {
        Canary.Analysis a = new Canary.Analysis(
                "3s",
                2,
                null,
                null,
                null,
                5,
                Canary.Source.functions,
                null,
                null,
                null,
                List.of(new Canary.Metric("decision-agreement", null, null, 10, 5.0)),
                List.of());
        Canary canary = new Canary("routing-v2.yaml", "routing", List.of("cn-north"), "v1", "v2", a, 0);
        List<Check> checks = new Analysis(new Prometheus(prometheus.url()), SliQueries.load()).run(canary, "meshdesk");
        assertThat(checks).hasSize(1);
        return checks.get(0);
    }

    @Test
    void passesWhileTheShadowDecidesLikeStableAndFailsWhenItQueuesWhatStableAssigns() {
        shadowAssigns.set(9);
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Check c = agreement();
            assertThat(c.verdict()).as(c.toString()).isEqualTo(Verdict.PASS);
            assertThat(c.value()).isCloseTo(90.0, offset(0.5));
            assertThat(c.query()).contains("meshdesk_shadow_decisions_total").contains("version=\"v2\"");
        });

        shadowAssigns.set(5);
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Check c = agreement();
            assertThat(c.verdict()).as(c.toString()).isEqualTo(Verdict.FAIL);
            assertThat(c.value()).isLessThan(85.0);
            assertThat(c.reason()).contains("worse than stable (90.000)").contains("maxDegradation 5.0");
        });
    }
}
