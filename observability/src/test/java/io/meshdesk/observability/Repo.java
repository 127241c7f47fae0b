package io.meshdesk.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The repository's files as the tests read them. */
final class Repo {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    /** The module runs in observability/, so the repository is its parent. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    static final Path OBSERVABILITY = ROOT.resolve("observability");
    static final Path RULES = OBSERVABILITY.resolve("prometheus/rules");
    static final Path DASHBOARDS = OBSERVABILITY.resolve("grafana/dashboards");

    private Repo() {}

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
