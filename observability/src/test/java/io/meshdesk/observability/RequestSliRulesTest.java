package io.meshdesk.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.meshconfig.canary.SliQueries;
import io.meshdesk.meshconfig.canary.SliRules;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * observability/sli/request-slis.yml is the one source of the request SLIs: the canary
 * controller renders its checks from it, and the recording rules the alerts and dashboards read
 * are its rendered form, checked in. This is the freshness test: a rule file or a panel that
 * computes a request SLI its own way fails here, and so does a rendered file older than its source.
 */
class RequestSliRulesTest {

    private static final Path SOURCE = Repo.OBSERVABILITY.resolve("sli/request-slis.yml");
    private static final Path RENDERED = Repo.ROOT.resolve(SliRules.FILE);
    private static final Pattern REQUEST_SLI = Pattern.compile("meshdesk:(?:istio|functions)_[a-z0-9_]+:[a-z0-9]+");
    /** What computing a success rate or a P99 from the raw request metrics looks like. */
    private static final List<Pattern> HAND_WRITTEN_SLI = List.of(
            Pattern.compile(
                    "(istio_requests_total|http_server_requests_seconds_count)\\{[^}]*(response_code|status)!~\"5\\.\\.\""),
            Pattern.compile("histogram_quantile\\([^,]+,[^)]*(istio_request_duration_milliseconds_bucket"
                    + "|http_server_requests_seconds_bucket)"));

    @Test
    void theCheckedInRulesAreWhatRequestSlisRenders() throws IOException {
        String rendered = SliRules.render(SliQueries.read(SOURCE));
        if (Boolean.getBoolean("meshdesk.sli.regenerate")) {
            Files.writeString(RENDERED, rendered);
        }
        assertThat(Files.readString(RENDERED))
                .as(
                        "%s is stale or edited by hand: regenerate it from %s (the command is in its header)",
                        RENDERED, SOURCE)
                .isEqualTo(rendered);
    }

    @Test
    void everyTemplateBecomesOneRuleWithTheCanarysQueryGroupedByVersion() {
        SliQueries slis = SliQueries.read(SOURCE);
        Map<String, String> rules = new java.util.LinkedHashMap<>();
        for (JsonNode group : Repo.yaml(RENDERED).path("groups")) {
            group.path("rules")
                    .forEach(r ->
                            rules.put(r.path("record").asText(), r.path("expr").asText()));
        }
        Set<String> expected = new LinkedHashSet<>();
        slis.templates()
                .forEach((source, templates) ->
                        templates.keySet().forEach(sli -> expected.add(SliRules.record(source, sli))));
        assertThat(rules.keySet()).containsExactlyElementsOf(expected);
        // The metric and the non-version matchers are the canary's own; only the version pins differ.
        assertThat(rules.get("meshdesk:istio_request_success_rate:5m"))
                .isEqualTo(
                        "100 * sum by (region, destination_app, destination_version) (rate(istio_requests_total{"
                                + "reporter=\"destination\",destination_workload_namespace=\"meshdesk\",destination_app!=\"\","
                                + "destination_version!=\"\",response_code!~\"5..\"}[5m])) / sum by (region, destination_app,"
                                + " destination_version) (rate(istio_requests_total{reporter=\"destination\","
                                + "destination_workload_namespace=\"meshdesk\",destination_app!=\"\",destination_version!=\"\"}[5m]))");
        assertThat(rules.get("meshdesk:functions_request_duration_p99_ms:5m"))
                .isEqualTo("1000 * histogram_quantile(0.99, sum by (region, function, version, le) (rate("
                        + "http_server_requests_seconds_bucket{function!=\"\",version!=\"\"}[5m])))");
    }

    @Test
    void noOtherRuleOrPanelComputesARequestSliItsOwnWay() {
        List<String> offenders = new ArrayList<>();
        Set<String> recorded = new LinkedHashSet<>();
        for (Path file : Repo.files(Repo.RULES, ".yml")) {
            for (JsonNode group : Repo.yaml(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    String expr = rule.path("expr").asText();
                    if (file.equals(RENDERED)) {
                        recorded.add(rule.path("record").asText());
                    } else if (handWritten(expr)) {
                        offenders.add(file.getFileName() + " "
                                + rule.path("record").asText(rule.path("alert").asText()) + ": " + expr);
                    }
                }
            }
        }
        List<String> referenced = new ArrayList<>();
        for (Dashboards.Query q : Dashboards.queries()) {
            if (handWritten(q.expr())) {
                offenders.add(q.toString());
            }
            Matcher m = REQUEST_SLI.matcher(q.expr());
            while (m.find()) {
                referenced.add(q.panel() + ": " + m.group());
            }
        }
        assertThat(offenders)
                .as(
                        "request success rate and P99 come from the recorded series of %s (meshdesk:<source>_<sli>:5m)",
                        SliRules.FILE)
                .isEmpty();
        assertThat(referenced)
                .as("the canary dashboard reads the recorded request SLIs")
                .isNotEmpty();
        for (String ref : referenced) {
            assertThat(recorded)
                    .as("a panel reads a request SLI the rules do not record: %s", ref)
                    .contains(ref.substring(ref.lastIndexOf(' ') + 1));
        }
    }

    private static boolean handWritten(String expr) {
        return HAND_WRITTEN_SLI.stream().anyMatch(p -> p.matcher(expr).find());
    }
}
