package io.meshdesk.localservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}) on a free loopback port with
 * a given configuration, clustering off.
 */
public final class AlertmanagerServer extends ServerProcess {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;

    private AlertmanagerServer(List<String> command, Path dir, int port) {
        super("alertmanager :" + port, command, Map.of(), dir, dir.resolve("alertmanager.log"));
        this.port = port;
    }

    public static AlertmanagerServer start(Path config, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = LoopbackPorts.free();
        List<String> cmd = List.of(
                Binaries.find("prometheus-alertmanager", "prometheus-alertmanager"),
                "--config.file=" + config.toAbsolutePath(),
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=");
        AlertmanagerServer server = new AlertmanagerServer(cmd, dir, port);
        server.awaitReady(server.url().resolve("/-/ready"), Duration.ofSeconds(30));
        return server;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String target() {
        return "127.0.0.1:" + port;
    }

    /** Posts alerts as Prometheus would: each a map of labels (annotations left out). */
    public void post(List<Map<String, String>> alerts) {
        String body;
        try {
            body = JSON.writeValueAsString(
                    alerts.stream().map(labels -> Map.of("labels", labels)).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        call(HttpRequest.newBuilder(url().resolve("/api/v2/alerts"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The alert groups as Alertmanager has formed them: {@code /api/v2/alerts/groups}. */
    public JsonNode groups() {
        return call(
                HttpRequest.newBuilder(url().resolve("/api/v2/alerts/groups")).GET());
    }

    /** The alerts it holds, with their status (active, suppressed and by what). */
    public JsonNode alerts() {
        return call(HttpRequest.newBuilder(url().resolve("/api/v2/alerts")).GET());
    }

    private static JsonNode call(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r =
                    HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("Alertmanager answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isBlank() ? null : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
