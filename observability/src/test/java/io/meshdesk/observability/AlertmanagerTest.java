package io.meshdesk.observability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.localservers.AlertmanagerServer;

import static org.assertj.core.api.Assertions.assertThat;

/** Alertmanager's routes (amtool), and its grouping and inhibition on a real Alertmanager. */
class AlertmanagerTest {

    private static final Path DIR = Repo.OBSERVABILITY.resolve("alertmanager");

    @Test
    void configIsValid() {
        Tool check = Tool.amtool(DIR, "check-config", "alertmanager.yml");
        assertThat(check.ok()).as(check.output()).isTrue();
    }

    @Test
    void everyRouteCaseReachesItsReceiversAndEveryReceiverIsReached() {
        Set<String> reached = new HashSet<>();
        for (JsonNode c : Repo.yaml(DIR.resolve("route-tests.yml"))) {
            List<String> args = new ArrayList<>(List.of("config", "routes", "test", "--config.file=alertmanager.yml"));
            List<String> receivers = new ArrayList<>();
            c.path("receivers").forEach(r -> receivers.add(r.asText()));
            args.add("--verify.receivers=" + String.join(",", receivers));
            c.path("labels")
                    .fields()
                    .forEachRemaining(
                            e -> args.add(e.getKey() + "=" + e.getValue().asText()));
            Tool test = Tool.amtool(DIR, args.toArray(String[]::new));
            assertThat(test.ok())
                    .as("%s should reach %s; amtool said:%n%s", c.path("labels"), receivers, test.output())
                    .isTrue();
            reached.addAll(receivers);
        }
        List<String> declared = new ArrayList<>();
        Repo.yaml(DIR.resolve("alertmanager.yml"))
                .path("receivers")
                .forEach(r -> declared.add(r.path("name").asText()));
        assertThat(reached).as("receivers no route case reaches").containsAll(declared);
    }

    @Test
    void aRegionalOutageIsOneNotificationPerTeamAndTicketsHushWhileTheirSloPages(@TempDir Path tmp) {
        try (AlertmanagerServer am = AlertmanagerServer.start(DIR.resolve("alertmanager.yml"), tmp)) {
            am.post(List.of(
                    alert("MeshdeskQueueWaitHigh", "page", "routing", "queue-wait", "cn-north"),
                    alert("MeshdeskNoAgentAvailable", "page", "routing", "queue-wait", "cn-north"),
                    alert("MeshdeskSessionRouteBudgetBurnFast", "page", "routing", "session-route", "cn-north"),
                    alert("MeshdeskSessionRouteBudgetBurnSlow", "ticket", "routing", "session-route", "cn-north"),
                    alert("MeshdeskSessionRouteBudgetBurnSlow", "ticket", "routing", "session-route", "us-east"),
                    alert("MeshdeskQueueWaitHigh", "page", "routing", "queue-wait", "us-east")));

            Map<String, Integer> pagerGroups = new LinkedHashMap<>();
            for (JsonNode g : am.groups()) {
                if (g.at("/receiver/name").asText().equals("routing-pager")) {
                    pagerGroups.put(
                            g.at("/labels/region").asText(), g.path("alerts").size());
                }
            }
            assertThat(pagerGroups)
                    .as("routing pages grouped by region")
                    .containsExactlyInAnyOrderEntriesOf(Map.of("cn-north", 3, "us-east", 1));

            Map<String, String> slowBurnState = new LinkedHashMap<>();
            for (JsonNode a : am.alerts()) {
                if (a.at("/labels/alertname").asText().equals("MeshdeskSessionRouteBudgetBurnSlow")) {
                    slowBurnState.put(
                            a.at("/labels/region").asText(),
                            a.at("/status/state").asText());
                }
            }
            assertThat(slowBurnState)
                    .as("the slow burn is hushed only where the fast one pages")
                    .containsExactlyInAnyOrderEntriesOf(Map.of("cn-north", "suppressed", "us-east", "active"));
        }
    }

    @Test
    void aFunctionThatIsDownHushesTheSloAlertsOfItsRegion(@TempDir Path tmp) {
        try (AlertmanagerServer am = AlertmanagerServer.start(DIR.resolve("alertmanager.yml"), tmp)) {
            Map<String, String> down = new LinkedHashMap<>(Map.of(
                    "alertname",
                    "MeshdeskFunctionDown",
                    "severity",
                    "page",
                    "team",
                    "platform",
                    "region",
                    "cn-north",
                    "job",
                    "meshdesk-routing"));
            am.post(List.of(down, alert("MeshdeskQueueWaitHigh", "page", "routing", "queue-wait", "cn-north")));
            Map<String, String> state = new LinkedHashMap<>();
            am.alerts()
                    .forEach(a -> state.put(
                            a.at("/labels/alertname").asText(),
                            a.at("/status/state").asText()));
            assertThat(state)
                    .containsEntry("MeshdeskFunctionDown", "active")
                    .containsEntry("MeshdeskQueueWaitHigh", "suppressed");
        }
    }

    private static Map<String, String> alert(String name, String severity, String team, String slo, String region) {
        return Map.of("alertname", name, "severity", severity, "team", team, "slo", slo, "region", region);
    }
}
