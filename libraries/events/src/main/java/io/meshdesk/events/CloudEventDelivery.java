package io.meshdesk.events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;

/**
 * One binary-mode CloudEvent POST, off the caller's thread, retried with backoff and jitter.
 * Retrying is safe: the event id stays the same, so a receiver can drop the second copy.
 * A circuit breaker stops the sending while the sink keeps failing (3 of the last 4 calls), so a
 * sick receiver costs one fast failure per event instead of a pile of waiting retries; after
 * 10 s one call is let through to see whether it is back.
 */
@ApplicationScoped
public class CloudEventDelivery {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Asynchronous
    @Retry(maxRetries = 4, delay = 200, jitter = 100, abortOn = CircuitBreakerOpenException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000, successThreshold = 1)
    @Timeout(5000)
    public CompletionStage<Void> deliver(URI target, CloudEvent event, Map<String, String> traceHeaders) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(3));
        traceHeaders.forEach(request::header);
        HttpMessageFactory.createWriter(
                        request::header, body -> request.POST(HttpRequest.BodyPublishers.ofByteArray(body)))
                .writeBinary(event);
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(target + " answered HTTP " + response.statusCode());
            }
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            throw new IllegalStateException(target + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + target, e);
        }
    }
}
