package io.meshdesk.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.meshdesk.identity.testing.TestTokens;

/** A caller of the functions over HTTP, as a client outside would be: bounded, and timed. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than any function's budget: a call that takes this long has hung. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {}

    /** What a call got: status (0 when the connection failed), body, how long it took. */
    record Answer(int status, JsonNode json, String contentType, Duration took) {
        boolean ok() {
            return status / 100 == 2;
        }

        boolean problem() {
            return contentType != null
                    && contentType.startsWith("application/problem+json")
                    && json.path("status").asInt() == status
                    && json.hasNonNull("detail");
        }
    }

    static Answer post(URI base, String function, String token, Object body) {
        try {
            return send(base, function, token, body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Answer send(URI base, String function, String token, String body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/" + function))
                .timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Authorization", TestTokens.bearer(token))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = r.body().isBlank() ? MissingNode.getInstance() : JSON.readTree(r.body());
            } catch (JsonProcessingException e) {
                json = MissingNode.getInstance();
            }
            return new Answer(
                    r.statusCode(),
                    json,
                    r.headers().firstValue("Content-Type").orElse(null),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            return new Answer(0, MissingNode.getInstance(), null, Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
