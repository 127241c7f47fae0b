package io.meshdesk.meshconfig;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One version of a function as the canary controller sees it: it serves requests and exports
 * Micrometer's http_server_requests_seconds at /q/metrics with the function and version labels,
 * as every meshdesk function does. A fault-injection setting fails a share of requests or adds
 * latency, the way a bad candidate would. (A stand-in: the real functions need etcd and
 * PostgreSQL, which these tests do not start.)
 */
final class VersionInstance implements AutoCloseable {

    final String version;
    final AtomicInteger failPercent = new AtomicInteger();
    final AtomicInteger addedLatencyMs = new AtomicInteger();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;

    VersionInstance(String function, String version) {
        this.version = version;
        registry.config().commonTags("function", function, "version", version);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/work", this::work);
        server.createContext("/q/metrics", ex -> respond(ex, 200, registry.scrape()));
        // Unbounded, so that slow requests under fault injection never hold up a scrape (its timeout is the 1 s
        // interval).
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    private void work(HttpExchange ex) throws IOException {
        long start = System.nanoTime();
        int latency = addedLatencyMs.get();
        if (latency > 0) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int status = ThreadLocalRandom.current().nextInt(100) < failPercent.get() ? 500 : 200;
        Timer.builder("http.server.requests")
                .tags(
                        "method",
                        "POST",
                        "uri",
                        "/work",
                        "status",
                        Integer.toString(status),
                        "outcome",
                        status == 200 ? "SUCCESS" : "SERVER_ERROR")
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - start));
        respond(ex, status, "{}");
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
