package io.meshdesk.localservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus (Debian's {@code prometheus}) on a free loopback port, run from one of the
 * repository's local configurations ({@code observability/prometheus/local/regional.yml} or
 * {@code central.yml}). Its directory holds the config as {@code prometheus.yml}, a link
 * {@code rules} to the repository's rules, and the {@code targets/*.json} files its file-based
 * discovery reads, which {@link #targets} rewrites while it runs.
 */
public final class PrometheusServer extends ServerProcess {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final int port;

    private PrometheusServer(String name, List<String> command, Map<String, String> env, Path dir, int port) {
        super(name, command, env, dir, dir.resolve("prometheus.log"));
        this.dir = dir;
        this.port = port;
    }

    /** A region's Prometheus, with the external label region={@code region}. */
    public static PrometheusServer regional(Path observabilityDir, String region, Path dir) {
        return start(observabilityDir, "regional", "prometheus " + region, Map.of("REGION", region), dir);
    }

    /** The central Prometheus, federating what targets/regions.json lists. */
    public static PrometheusServer central(Path observabilityDir, Path dir) {
        return start(observabilityDir, "central", "prometheus central", Map.of(), dir);
    }

    private static PrometheusServer start(
            Path observabilityDir, String kind, String name, Map<String, String> env, Path dir) {
        try {
            Files.createDirectories(dir.resolve("targets"));
            Files.copy(
                    observabilityDir.resolve("prometheus/local/" + kind + ".yml"),
                    dir.resolve("prometheus.yml"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path rules = dir.resolve("rules");
            Files.deleteIfExists(rules);
            Files.createSymbolicLink(
                    rules, observabilityDir.resolve("prometheus/rules").toAbsolutePath());
            for (String file : List.of("functions", "envoy", "regions", "alertmanagers", "canary")) {
                Path f = dir.resolve("targets/" + file + ".json");
                if (!Files.exists(f)) {
                    Files.writeString(f, "[]\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not lay out " + dir + " for " + name + ": " + e.getMessage(), e);
        }
        int port = LoopbackPorts.free();
        List<String> cmd = List.of(
                Binaries.find("prometheus", "prometheus"),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--enable-feature=expand-external-labels",
                "--web.enable-lifecycle");
        PrometheusServer server = new PrometheusServer(name, cmd, env, dir, port);
        server.awaitReady(server.url().resolve("/-/ready"), Duration.ofSeconds(30));
        return server;
    }

    /**
     * Replaces {@code targets/<file>.json}: one target group per entry, each a target
     * ("host:port") and its labels. Prometheus picks it up within its refresh interval.
     */
    public void targets(String file, List<TargetGroup> groups) {
        try {
            List<Map<String, Object>> json = groups.stream()
                    .map(g -> Map.<String, Object>of("targets", List.of(g.target()), "labels", g.labels()))
                    .toList();
            Path tmp = dir.resolve("targets/." + file + ".json.tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
            Files.move(tmp, dir.resolve("targets/" + file + ".json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String target() {
        return "127.0.0.1:" + port;
    }

    /**
     * Evaluates an instant query and answers its {@code data.result} array; a query Prometheus
     * rejects becomes an error carrying Prometheus's own message.
     */
    public JsonNode query(String promql) {
        String body = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(url().resolve("/api/v1/query"))
                            .header("content-type", "application/x-www-form-urlencoded")
                            .timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = JSON.readTree(r.body());
            if (!"success".equals(json.path("status").asText())) {
                throw new IllegalArgumentException("Prometheus rejected " + promql + ": "
                        + json.path("errorType").asText() + ": "
                        + json.path("error").asText());
            }
            return json.path("data").path("result");
        } catch (IOException e) {
            throw new UncheckedIOException("query to " + name() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A file-discovery target group of one target. */
    public record TargetGroup(String target, Map<String, String> labels) {}
}
