package io.meshdesk.loadtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.meshdesk.identity.dev.DevCallers;

/** Calls a Funqy function over HTTP/1.1 on loopback, blocking or not, and reads its JSON. */
final class FunctionClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final DevCallers callers;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** Each call is signed as the caller the rules expect ({@link DevCallers}), unless it sends its own. */
    FunctionClient(URI base, DevCallers callers) {
        this.base = base;
        this.callers = callers;
    }

    JsonNode call(String function, Object body, String... headers) {
        try {
            HttpResponse<String> r = http.send(request(function, body, headers), HttpResponse.BodyHandlers.ofString());
            return answer(function, r);
        } catch (IOException e) {
            throw new UncheckedIOException(function + " at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The function's Prometheus exposition from /q/metrics. */
    String metrics() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/q/metrics"))
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("/q/metrics at " + base + " answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException("/q/metrics at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    CompletableFuture<JsonNode> callAsync(String function, Object body, String... headers) {
        return http.sendAsync(request(function, body, headers), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> answer(function, r));
    }

    private HttpRequest request(String function, Object body, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/" + function))
                    .header("content-type", "application/json").timeout(Duration.ofSeconds(15))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            boolean signed = false;
            for (int i = 0; i + 1 < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
                signed |= headers[i].equalsIgnoreCase("authorization");
            }
            if (!signed) {
                b.header("Authorization", "Bearer " + callers.tokenFor(function, JSON.valueToTree(body)));
            }
            return b.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode answer(String function, HttpResponse<String> r) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(function + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> agent(String id, int capacity, String language) {
        return Map.of("agentId", id, "languages", new String[] { language }, "skills", Map.of("billing", 4),
                "capacity", capacity);
    }

    /**
     * The customer of a driven session: a few hundred customers with many sessions each, so the
     * driver signs one token per customer rather than one per session.
     */
    static String customerOf(String sessionId) {
        return "c-" + Math.floorMod(sessionId.hashCode(), 256);
    }

    static Map<String, Object> session(String id, String language) {
        return Map.of("sessionId", id, "customerId", customerOf(id), "channel", "web", "language", language,
                "skills", Map.of("billing", 1));
    }
}
