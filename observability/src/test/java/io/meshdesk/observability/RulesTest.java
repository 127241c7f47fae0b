package io.meshdesk.observability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The recording rules and alerts: valid for Prometheus, unit-tested with promtool, and keeping our conventions. */
class RulesTest {

    private static final Pattern SLI_NAME = Pattern.compile("meshdesk:[a-z0-9_]+:[a-z0-9_]+");
    private static final Pattern ISTIO_AGGREGATE = Pattern.compile("workload:istio_[a-z_]+");
    private static final Set<String> SEVERITIES = Set.of("page", "ticket", "none");

    @Test
    void everyRuleFileIsValidForPrometheus() {
        for (Path file : Repo.files(Repo.RULES, ".yml")) {
            Tool check = Tool.promtool(
                    Repo.RULES, "check", "rules", file.getFileName().toString());
            assertThat(check.ok())
                    .as("promtool check rules %s:%n%s", file, check.output())
                    .isTrue();
        }
    }

    @Test
    void promtoolUnitTestsPass() {
        Path tests = Repo.OBSERVABILITY.resolve("prometheus/tests");
        for (Path file : Repo.files(tests, ".test.yml")) {
            Tool run = Tool.promtool(tests, "test", "rules", file.getFileName().toString());
            assertThat(run.ok())
                    .as("promtool test rules %s:%n%s", file, run.output())
                    .isTrue();
        }
    }

    @Test
    void recordingRulesAreNamedWhatHow() {
        for (JsonNode rule : rules("record")) {
            String name = rule.path("record").asText();
            assertThat(SLI_NAME.matcher(name).matches()
                            || ISTIO_AGGREGATE.matcher(name).matches())
                    .as("recording rule %s should be named meshdesk:<what>:<how>", name)
                    .isTrue();
        }
    }

    @Test
    void everyAlertCarriesWhatOpsNeedAndItsRunbookExists() {
        for (JsonNode rule : rules("alert")) {
            String name = rule.path("alert").asText();
            assertThat(rule.path("for").asText()).as("%s needs a for:", name).isNotBlank();
            assertThat(SEVERITIES)
                    .as("%s severity", name)
                    .contains(rule.path("labels").path("severity").asText());
            assertThat(rule.path("labels").path("team").asText())
                    .as("%s team", name)
                    .isNotBlank();
            JsonNode annotations = rule.path("annotations");
            assertThat(annotations.path("summary").asText())
                    .as("%s summary", name)
                    .isNotBlank();
            assertThat(annotations.path("description").asText())
                    .as("%s description", name)
                    .isNotBlank();
            String runbook = annotations.path("runbook_url").asText();
            assertThat(runbook)
                    .as("%s runbook_url", name)
                    .startsWith("https://github.com/meshdesk/meshdesk/blob/main/docs/runbooks/");
            Path page = Repo.ROOT.resolve(runbook.substring(runbook.indexOf("docs/runbooks/")));
            assertThat(Files.isRegularFile(page))
                    .as("%s's runbook %s exists", name, page)
                    .isTrue();
        }
    }

    @Test
    void everyAlertIsTestedFiringAndQuiet() {
        Map<String, Set<Boolean>> tested = new HashMap<>();
        for (Path file : Repo.files(Repo.OBSERVABILITY.resolve("prometheus/tests"), ".test.yml")) {
            for (JsonNode test : Repo.yaml(file).path("tests")) {
                for (JsonNode t : test.path("alert_rule_test")) {
                    tested.computeIfAbsent(t.path("alertname").asText(), k -> new HashSet<>())
                            .add(t.path("exp_alerts").size() > 0);
                }
            }
        }
        for (JsonNode rule : rules("alert")) {
            String name = rule.path("alert").asText();
            Set<Boolean> cases = tested.getOrDefault(name, Set.of());
            assertThat(cases).as("%s has a promtool case where it fires", name).contains(true);
            if (!name.equals("Watchdog")) {
                assertThat(cases)
                        .as("%s has a promtool case where it stays quiet", name)
                        .contains(false);
            }
        }
    }

    @Test
    void pageAlertsHaveATicketPartnerOnlyWithinTheSameSlo() {
        // Alertmanager's inhibition pairs page and ticket alerts by slo and region: an alert with
        // a severity of page or ticket on an SLO must say which.
        for (JsonNode rule : rules("alert")) {
            String team = rule.path("labels").path("team").asText();
            if (!team.equals("platform")) {
                assertThat(rule.path("labels").path("slo").asText())
                        .as("%s slo label", rule.path("alert").asText())
                        .isNotBlank();
            }
        }
    }

    static List<JsonNode> rules(String kind) {
        List<JsonNode> found = new ArrayList<>();
        for (Path file : Repo.files(Repo.RULES, ".yml")) {
            for (JsonNode group : Repo.yaml(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has(kind)) {
                        found.add(rule);
                    }
                }
            }
        }
        assertThat(found).as("%s rules", kind).isNotEmpty();
        return found;
    }
}
