package io.meshdesk.meshconfig.canary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * The request SLIs of request-slis.yml as Prometheus recording rules, one per source and SLI,
 * for every function, version and region at once: the series the alerts and dashboards read,
 * rendered from the same templates the canary controller fills for one version. The canary's
 * query keeps one version with {@code label="{{version}}"}; here that matcher becomes
 * {@code label!=""} and the label joins every sum's grouping, so the recorded value for a
 * version is the canary's query for it over 5m.
 */
public final class SliRules {

    /** The window of the recorded series; dashboards and alerts read them at this resolution. */
    public static final String WINDOW = "5m";
    /** The namespace meshctl renders the functions into. */
    public static final String NAMESPACE = "meshdesk";
    /** The checked-in file the regional Prometheus loads, relative to the repository. */
    public static final String FILE = "observability/prometheus/rules/meshdesk-request-slis.yml";

    static final String HEADER =
            "# GENERATED from observability/sli/request-slis.yml by mesh-config's SliRules: do not edit.\n"
                    + "# Regenerate with: ./mvnw -o -q -pl observability -am verify -Dtest=RequestSliRulesTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Dmeshdesk.sli.regenerate=true\n"
                    + "# One series per source and request SLI, by region and the labels that name the function and version.\n";

    /** A matcher a canary query pins to one function or version. */
    private static final Pattern PINNED = Pattern.compile("(\\w+)=\"\\{\\{(function|version)}}\"");

    private static final Pattern SUM = Pattern.compile("\\bsum(?: by \\(([^)]*)\\))? ?\\(");

    private SliRules() {}

    /** The recorded series' name for a source's SLI, e.g. meshdesk:istio_request_success_rate:5m. */
    public static String record(String source, String sli) {
        return "meshdesk:" + (source + "_" + sli).replace('-', '_') + ":" + WINDOW;
    }

    /** The rule's expression: the template with its version pins turned into groupings. */
    public static String expression(String template) {
        String t = template.strip().replace("{{interval}}", WINDOW).replace("{{namespace}}", NAMESPACE);
        List<String> grouping = new ArrayList<>(List.of("region"));
        Matcher pinned = PINNED.matcher(t);
        StringBuilder unpinned = new StringBuilder();
        while (pinned.find()) {
            if (!grouping.contains(pinned.group(1))) {
                grouping.add(pinned.group(1));
            }
            pinned.appendReplacement(unpinned, Matcher.quoteReplacement(pinned.group(1) + "!=\"\""));
        }
        pinned.appendTail(unpinned);
        if (unpinned.indexOf("{{") >= 0) {
            throw new IllegalArgumentException("request-slis.yml: a placeholder other than function, version,"
                    + " namespace or interval (or one not in a label=\"{{...}}\" matcher) in: " + template);
        }
        Matcher sum = SUM.matcher(unpinned);
        StringBuilder grouped = new StringBuilder();
        while (sum.find()) {
            List<String> by = new ArrayList<>(grouping);
            if (sum.group(1) != null) {
                by.add(sum.group(1).strip());
            }
            sum.appendReplacement(grouped, Matcher.quoteReplacement("sum by (" + String.join(", ", by) + ") ("));
        }
        sum.appendTail(grouped);
        return grouped.toString();
    }

    /** The rule file's text: the header, then one group of rules per source, in the file's order. */
    public static String render(SliQueries slis) {
        List<Map<String, Object>> groups = new ArrayList<>();
        slis.templates().forEach((source, templates) -> {
            List<Map<String, String>> rules = new ArrayList<>();
            templates.forEach((sli, template) -> {
                Map<String, String> rule = new LinkedHashMap<>();
                rule.put("record", record(source, sli));
                rule.put("expr", expression(template));
                rules.add(rule);
            });
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("name", "meshdesk-request-slis-" + source);
            group.put("rules", rules);
            groups.add(group);
        });
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .disable(YAMLGenerator.Feature.SPLIT_LINES));
        try {
            return HEADER + yaml.writeValueAsString(Map.of("groups", groups));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the SLI recording rules: " + e.getMessage(), e);
        }
    }
}
