package io.meshdesk.meshconfig.canary;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.meshdesk.meshconfig.model.Canary;
import io.meshdesk.meshconfig.model.MeshConfig;

/** Calls a canary's webhooks: a POST of what the rollout is doing; only a 2xx within the timeout succeeds. */
public final class Webhooks {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** Runs every hook of one type; answers null when all succeeded, else what failed. */
    public String call(Canary canary, Canary.WebhookType type, String region, int step) {
        for (Canary.Webhook hook : canary.analysis().hooks()) {
            if (hook.type() != type) {
                continue;
            }
            Duration timeout =
                    hook.timeout() == null ? DEFAULT_TIMEOUT : Duration.ofMillis(MeshConfig.millis(hook.timeout()));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", hook.name());
            body.put("type", type.name());
            body.put("function", canary.function());
            body.put("canaryVersion", canary.canaryVersion());
            body.put("region", region);
            body.put("step", step);
            body.put("metadata", hook.metadata() == null ? Map.of() : hook.metadata());
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(hook.url()))
                                .timeout(timeout)
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 != 2) {
                    return "webhook " + hook.name() + " answered HTTP " + r.statusCode();
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            } catch (java.net.http.HttpTimeoutException e) {
                return "webhook " + hook.name() + " did not answer within " + timeout.toMillis() + " ms";
            } catch (java.io.IOException | IllegalArgumentException e) {
                return "webhook " + hook.name() + " failed: " + e.getClass().getSimpleName() + " " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "webhook " + hook.name() + " was interrupted";
            }
        }
        return null;
    }
}
