package io.meshdesk.observability;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** What a dashboard must have before any data flows: shape, the region variable, known data sources. */
class DashboardsTest {

    @Test
    void theFiveDashboardsExistWithUniqueUids() {
        Set<String> uids = new HashSet<>();
        for (Path file : Dashboards.files()) {
            JsonNode d = Repo.json(file);
            assertThat(uids.add(d.path("uid").asText()))
                    .as("uid of %s is unique", file)
                    .isTrue();
            assertThat(d.path("panels").size()).as("%s has panels", file).isPositive();
        }
        assertThat(Dashboards.files())
                .extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder(
                        "slo-overview.json", "routing.json", "chat.json", "ticketing.json", "mesh-canary.json");
    }

    @Test
    void everyDashboardHasARegionVariableThatItsQueriesUse() {
        for (Path file : Dashboards.files()) {
            JsonNode d = Repo.json(file);
            boolean hasRegion = false;
            for (JsonNode v : d.at("/templating/list")) {
                hasRegion |= v.path("name").asText().equals("region");
            }
            assertThat(hasRegion).as("%s has a region variable", file).isTrue();
        }
        for (Dashboards.Query q : Dashboards.queries()) {
            if (!q.expr().contains("ALERTS")) {
                assertThat(q.expr()).as("%s filters by region", q).contains("region=~\"$region\"");
            }
        }
    }

    @Test
    void panelsUseOnlyProvisionedDataSources() {
        Set<String> provisioned = new HashSet<>();
        Repo.yaml(Repo.OBSERVABILITY.resolve("grafana/provisioning/datasources/meshdesk.yml"))
                .path("datasources")
                .forEach(ds -> provisioned.add(ds.path("uid").asText()));
        for (Path file : Dashboards.files()) {
            for (JsonNode panel : Repo.json(file).path("panels")) {
                assertThat(provisioned)
                        .as(
                                "%s / %s data source",
                                file.getFileName(), panel.path("title").asText())
                        .contains(panel.at("/datasource/uid").asText());
            }
        }
    }

    @Test
    void logLinesOpenTheirTraceAndTracesOpenTheirLogs() {
        JsonNode sources = Repo.yaml(Repo.OBSERVABILITY.resolve("grafana/provisioning/datasources/meshdesk.yml"))
                .path("datasources");
        JsonNode loki = find(sources, "loki");
        JsonNode tempo = find(sources, "tempo");
        assertThat(loki.at("/jsonData/derivedFields/0/datasourceUid").asText())
                .isEqualTo(tempo.path("uid").asText());
        assertThat(loki.at("/jsonData/derivedFields/0/matcherRegex").asText()).contains("traceId");
        assertThat(tempo.at("/jsonData/tracesToLogsV2/datasourceUid").asText())
                .isEqualTo(loki.path("uid").asText());
    }

    @Test
    void provisioningLoadsTheDashboardsFromFiles() {
        JsonNode provider = Repo.yaml(Repo.OBSERVABILITY.resolve("grafana/provisioning/dashboards/meshdesk.yml"))
                .at("/providers/0");
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.at("/options/path").asText()).isNotBlank();
    }

    private static JsonNode find(JsonNode sources, String type) {
        for (JsonNode s : sources) {
            if (s.path("type").asText().equals(type)) {
                return s;
            }
        }
        throw new AssertionError("no " + type + " data source in " + List.of(sources));
    }
}
