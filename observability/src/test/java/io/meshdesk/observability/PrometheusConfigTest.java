package io.meshdesk.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The regional and central Prometheus configurations, in their cluster and local forms. */
class PrometheusConfigTest {

    @Test
    void centralConfigIsValidAndFederatesWhatKialiAndTheSlosNeed() {
        Path dir = Repo.OBSERVABILITY.resolve("prometheus");
        Tool check = Tool.promtool(dir, "check", "config", "central.yml");
        assertThat(check.ok()).as(check.output()).isTrue();
        assertFederation(Repo.yaml(dir.resolve("central.yml")));
    }

    @Test
    void localCentralConfigFederatesTheSameWay() {
        assertFederation(Repo.yaml(Repo.OBSERVABILITY.resolve("prometheus/local/central.yml")));
    }

    /**
     * Debian's Prometheus is built without Kubernetes discovery, so promtool cannot read
     * regional.yml as it is: the check swaps each kubernetes_sd_configs for a file-based one
     * and checks everything else (relabelling, rules, alerting) as written.
     */
    @Test
    void regionalConfigIsValidApartFromItsKubernetesDiscovery(@TempDir Path tmp) throws IOException {
        JsonNode config = Repo.yaml(Repo.OBSERVABILITY.resolve("prometheus/regional.yml"));
        assertThat(config.at("/global/external_labels/region").asText()).isEqualTo("${REGION}");
        List<String> jobs = new ArrayList<>();
        for (JsonNode job : config.path("scrape_configs")) {
            jobs.add(job.path("job_name").asText());
            assertThat(job.has("kubernetes_sd_configs"))
                    .as("job %s discovers through Kubernetes", jobs.get(jobs.size() - 1))
                    .isTrue();
            ObjectNode o = (ObjectNode) job;
            o.remove("kubernetes_sd_configs");
            o.putArray("file_sd_configs").addObject().putArray("files").add("targets.json");
        }
        assertThat(jobs).contains("meshdesk-functions", "envoy-stats");
        assertThat(config.path("scrape_configs").get(0).path("metrics_path").asText())
                .isEqualTo("/q/metrics");
        Files.createSymbolicLink(tmp.resolve("rules"), Repo.RULES);
        Files.writeString(tmp.resolve("regional.yml"), Repo.YAML.writeValueAsString(config));
        Tool check = Tool.promtool(tmp, "check", "config", "regional.yml");
        assertThat(check.ok()).as(check.output()).isTrue();
    }

    @Test
    void localConfigsAreValidWhereTheyAreLaidOut(@TempDir Path tmp) throws IOException {
        for (String kind : List.of("regional", "central")) {
            Path dir = tmp.resolve(kind);
            Files.createDirectories(dir.resolve("targets"));
            Files.copy(Repo.OBSERVABILITY.resolve("prometheus/local/" + kind + ".yml"), dir.resolve("prometheus.yml"));
            Files.createSymbolicLink(dir.resolve("rules"), Repo.RULES);
            Tool check = Tool.promtool(dir, "check", "config", "prometheus.yml");
            assertThat(check.ok()).as("%s: %s", kind, check.output()).isTrue();
        }
        // The same rule files as in the cluster: the local form differs only in discovery.
        assertThat(Repo.yaml(Repo.OBSERVABILITY.resolve("prometheus/local/regional.yml"))
                        .path("rule_files"))
                .isEqualTo(Repo.yaml(Repo.OBSERVABILITY.resolve("prometheus/regional.yml"))
                        .path("rule_files"));
        assertThat(Repo.yaml(Repo.OBSERVABILITY.resolve("prometheus/local/central.yml"))
                        .path("rule_files"))
                .isEqualTo(Repo.yaml(Repo.OBSERVABILITY.resolve("prometheus/central.yml"))
                        .path("rule_files"));
    }

    private static void assertFederation(JsonNode config) {
        JsonNode federate = null;
        for (JsonNode job : config.path("scrape_configs")) {
            if (job.path("metrics_path").asText().equals("/federate")) {
                federate = job;
            }
        }
        assertThat(federate).as("a /federate job").isNotNull();
        assertThat(federate.path("honor_labels").asBoolean())
                .as("honor_labels keeps each region's labels")
                .isTrue();
        List<String> match = new ArrayList<>();
        federate.path("params").path("match[]").forEach(m -> match.add(m.asText()));
        assertThat(match)
                .contains("{__name__=~\"meshdesk:.+\"}", "{__name__=~\"workload:istio_.+\"}", "{__name__=\"ALERTS\"}");
    }
}
