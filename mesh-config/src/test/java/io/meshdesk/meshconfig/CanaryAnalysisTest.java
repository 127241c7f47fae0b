package io.meshdesk.meshconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.meshdesk.localservers.PrometheusServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * meshctl canary analyze without routing instances: a real Prometheus that has no data, and
 * one that cannot be reached. Fast (no function jars), unlike CanaryControllerTest.
 */
@Timeout(60)
class CanaryAnalysisTest {

    static PrometheusServer prometheus;

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

    /** The usual analysis plus a check on an SLI recording rule that has no series. */
    private static Map<String, Object> analysisWithARule() {
        Map<String, Object> a = CanaryRig.analysis();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> metrics = new ArrayList<>((List<Map<String, Object>>) a.get("metrics"));
        metrics.add(Map.of("name", "meshdesk:routing_decision_seconds:p99_5m", "max", 0.5));
        a.put("metrics", metrics);
        return a;
    }

    private static Repo.Run analyze(CanaryRig rig, String prometheusUrl) {
        return Repo.meshctl(rig.meshctl(
                "canary",
                "analyze",
                rig.canaryFile.toString(),
                "--region",
                "cn-north",
                "--prometheus",
                prometheusUrl,
                "--step",
                "0",
                "--json"));
    }

    @Test
    void jsonHasEveryKeyOnEveryCheckEvenWithoutData() throws Exception {
        try (CanaryRig rig = new CanaryRig(prometheus, null, "v8", analysisWithARule(), false)) {
            Repo.Run r = analyze(rig, prometheus.url().toString());
            assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
            JsonNode json = new ObjectMapper().readTree(r.output());
            assertThat(json.path("checks")).hasSize(3).allSatisfy(c -> {
                assertThat(c.has("name") && c.has("query") && c.has("value") && c.has("samples") && c.has("verdict"))
                        .as(c.toString())
                        .isTrue();
                assertThat(c.path("value").isNull()).as(c.toString()).isTrue();
                assertThat(c.path("verdict").asText()).isEqualTo("no-data");
            });
            assertThat(json.path("checks").get(2).path("query").asText())
                    .isEqualTo("max(meshdesk:routing_decision_seconds:p99_5m)");
        }
    }
}
