package io.meshdesk.observability;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Kiali's resource and the labels it needs, and the OpenTelemetry Collector's pipelines. */
class KialiAndCollectorTest {

    @Test
    void kialiReadsTheCentralPrometheusAndTheAppAndVersionLabels() {
        JsonNode kiali = Repo.yaml(Repo.OBSERVABILITY.resolve("kiali/kiali.yaml"));
        assertThat(kiali.path("kind").asText()).isEqualTo("Kiali");
        assertThat(kiali.at("/spec/external_services/prometheus/url").asText()).contains("prometheus-central");
        assertThat(kiali.at("/spec/istio_labels/app_label_name").asText()).isEqualTo("app");
        assertThat(kiali.at("/spec/istio_labels/version_label_name").asText()).isEqualTo("version");
    }

    @Test
    void everyRenderedRevisionCarriesTheLabelsKialiGroupsBy() {
        Set<Path> checked = new HashSet<>();
        for (Path region : Repo.files(Repo.ROOT.resolve("knative"), "")) {
            for (Path file : Repo.files(region, ".yaml")) {
                JsonNode resource = Repo.yaml(file);
                if (!resource.path("apiVersion").asText().startsWith("serving.knative.dev/")) {
                    continue; // service accounts live beside the Services; Kiali groups workloads
                }
                JsonNode labels = resource.at("/spec/template/metadata/labels");
                assertThat(labels.path("app").asText()).as("%s app label", file).isNotBlank();
                assertThat(labels.path("version").asText())
                        .as("%s version label", file)
                        .isNotBlank();
                checked.add(file);
            }
        }
        assertThat(checked).isNotEmpty();
    }

    @Test
    void istioAggregationKeepsEveryLabelButThePod() {
        for (JsonNode rule : RulesTest.rules("record")) {
            if (rule.path("record").asText().startsWith("workload:")) {
                assertThat(rule.path("expr").asText()).startsWith("sum without (instance, pod, namespace_pod)");
            }
        }
    }

    @Test
    void collectorPipelinesUseOnlyDefinedPartsAndStampTheRegion() {
        JsonNode c = Repo.yaml(Repo.OBSERVABILITY.resolve("otel-collector/collector.yaml"));
        for (String pipeline : new String[] {"traces", "logs"}) {
            JsonNode p = c.at("/service/pipelines/" + pipeline);
            for (String part : new String[] {"receivers", "processors", "exporters"}) {
                for (JsonNode name : p.path(part)) {
                    assertThat(c.path(part).has(name.asText()))
                            .as("%s pipeline's %s %s is defined", pipeline, part, name.asText())
                            .isTrue();
                }
            }
            assertThat(p.path("processors").toString()).contains("resource/region");
        }
        assertThat(c.at("/processors/resource~1region/attributes/0/key").asText())
                .isEqualTo("region");
        assertThat(c.at("/service/pipelines/traces/exporters/0").asText()).startsWith("otlp");
        assertThat(c.at("/service/pipelines/logs/exporters/0").asText()).isEqualTo("loki");
    }
}
