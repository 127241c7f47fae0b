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

/**
 * Calls a Funqy function over HTTP/1.1 on loopback, blocking or not, and reads its JSON. Every
 * function wants to know who calls: {@link #as} gives a client that presents a bearer token.
 */
final class FunctionClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final String token;

    FunctionClient(URI base) {
        this(
                base,
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2))
                        .build(),
                null);
    }

    private FunctionClient(URI base, HttpClient http, String token) {
        this.base = base;
        this.http = http;
        this.token = token;
    }

    /** The same function and connections, each call made as the holder of {@code bearerToken}. */
    FunctionClient as(String bearerToken) {
        return new FunctionClient(base, http, bearerToken);
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
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(base.resolve("/q/metrics"))
                            .timeout(Duration.ofSeconds(15))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
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
                    .header("content-type", "application/json")
                    .timeout(Duration.ofSeconds(15))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (token != null) {
                b.header("authorization", "Bearer " + token);
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
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

    /** The most capacity routing lets one agent register (units; a chat takes 25). */
    static final int MAX_AGENT_CAPACITY = 10_000;

    static final int CHAT_COST = 25;

    /** How many agents at full capacity hold {@code sessions} chats at once. */
    static int agentsFor(long sessions) {
        return (int) Math.max(1, (sessions * CHAT_COST + MAX_AGENT_CAPACITY - 1) / MAX_AGENT_CAPACITY);
    }

    static Map<String, Object> agent(String id, int capacity, String language) {
        return Map.of(
                "agentId",
                id,
                "languages",
                new String[] {language},
                "skills",
                Map.of("billing", 4),
                "capacity",
                capacity);
    }

    static Map<String, Object> session(String id, String language) {
        return Map.of(
                "sessionId",
                id,
                "customerId",
                customerOf(id),
                "channel",
                "web",
                "language",
                language,
                "skills",
                Map.of("billing", 1));
    }

    /** The customer of the load-test session {@code sessionId}: one customer per session. */
    static String customerOf(String sessionId) {
        return "c-" + sessionId;
    }
}
