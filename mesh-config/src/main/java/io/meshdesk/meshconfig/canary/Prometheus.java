package io.meshdesk.meshconfig.canary;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Instant queries against one region's Prometheus (its HTTP API), answering the first sample's value. */
public final class Prometheus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final URI url;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public Prometheus(URI url) {
        this.url = url;
    }

    public URI url() {
        return url;
    }

    /** The value of the first series, empty when the result has none or it is NaN (no data, never zero). */
    public OptionalDouble value(String promql) {
        JsonNode result = query(promql);
        if (result.isEmpty()) {
            return OptionalDouble.empty();
        }
        String v = result.get(0).path("value").path(1).asText();
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
        return Double.isNaN(d) || Double.isInfinite(d) ? OptionalDouble.empty() : OptionalDouble.of(d);
    }

    /** How many series a query answers (for checks on recording rules). */
    public int series(String promql) {
        return query(promql).size();
    }

    private JsonNode query(String promql) {
        String body = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(url.resolve("/api/v1/query"))
                            .header("content-type", "application/x-www-form-urlencoded")
                            .timeout(TIMEOUT)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = JSON.readTree(r.body());
            if (!"success".equals(json.path("status").asText())) {
                throw new PrometheusError("Prometheus at " + url + " rejected the query " + promql + ": "
                        + json.path("errorType").asText() + ": "
                        + json.path("error").asText());
            }
            return json.path("data").path("result");
        } catch (IOException e) {
            throw new PrometheusError(
                    "cannot query Prometheus at " + url + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage())
                            + "; check that this Prometheus runs and that --prometheus names it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusError("interrupted while querying " + url);
        }
    }

    /** Prometheus could not answer: the check cannot be judged (verdict error, never pass). */
    public static final class PrometheusError extends RuntimeException {
        PrometheusError(String message) {
            super(message);
        }
    }
}
