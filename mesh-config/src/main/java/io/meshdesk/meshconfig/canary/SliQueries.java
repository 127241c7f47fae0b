package io.meshdesk.meshconfig.canary;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.meshdesk.meshconfig.model.Canary;

/**
 * The request SLIs as PromQL, from the one source the dashboards share
 * (observability/sli/request-slis.yml, carried in meshctl's jar): named templates per source
 * with {{function}}, {{version}}, {{namespace}} and {{interval}} placeholders.
 */
public final class SliQueries {

    public static final String REQUESTS = "requests";
    /** An SLI recording rule's name, as observability/prometheus/rules writes them. */
    static final Pattern RECORDING_RULE = Pattern.compile("[a-z_]+:[a-z0-9_]+:[a-z0-9_]+");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

    private final Map<String, Map<String, String>> templates;

    private SliQueries(Map<String, Map<String, String>> templates) {
        this.templates = templates;
    }

    public static SliQueries load() {
        try (InputStream in = SliQueries.class.getResourceAsStream("/meshctl/sli/request-slis.yml")) {
            if (in == null) {
                throw new IllegalStateException(
                        "meshctl/sli/request-slis.yml is missing from meshctl's jar; rebuild " + "mesh-config");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The source file itself, for the generator and freshness test of the SLI recording rules. */
    public static SliQueries read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not a readable SLI file: " + e.getMessage(), e);
        }
    }

    private static SliQueries parse(InputStream in) throws IOException {
        return new SliQueries(new ObjectMapper(new YAMLFactory()).readValue(in, new TypeReference<>() {}));
    }

    /** Every template by source and name, in the file's order (Jackson keeps it). */
    public Map<String, Map<String, String>> templates() {
        return Collections.unmodifiableMap(templates);
    }

    /** Whether a check name is one of the built-in request SLIs. */
    public boolean builtIn(Canary.Source source, String name) {
        return templates.getOrDefault(source.name(), Map.of()).containsKey(name) && !name.equals(REQUESTS);
    }

    public static boolean recordingRule(String name) {
        return RECORDING_RULE.matcher(name).matches();
    }

    /** A template with its placeholders filled; every placeholder must be given. */
    public String render(
            Canary.Source source, String name, String function, String version, String namespace, String interval) {
        String template = templates.getOrDefault(source.name(), Map.of()).get(name);
        if (template == null) {
            throw new IllegalArgumentException("no SLI " + name + " for source " + source + " in request-slis.yml");
        }
        Map<String, String> values = new HashMap<>(
                Map.of("function", function, "version", version, "namespace", namespace, "interval", interval));
        Matcher m = PLACEHOLDER.matcher(template.strip());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(
                        "request-slis.yml: unknown placeholder {{" + m.group(1) + "}} in " + name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
