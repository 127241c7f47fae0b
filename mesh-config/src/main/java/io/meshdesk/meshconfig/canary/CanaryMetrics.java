package io.meshdesk.meshconfig.canary;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The controller's own metrics, per canary and region: meshdesk_canary_weight (the candidate's
 * live weight in percent) and meshdesk_canary_phase (1 for the phase the rollout is in, 0 for
 * the others), served at /metrics when the controller is given a port.
 */
public final class CanaryMetrics {

    public static final List<String> PHASES =
            List.of("mirror", "progressing", "paused", "promoted", "rolledBack", "aborted");
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();

    /** Records where a rollout stands now. */
    public void update(Progress p, int weight) {
        gauge("meshdesk.canary.weight", p, null).set(weight);
        String phase = phase(p);
        for (String name : PHASES) {
            gauge("meshdesk.canary.phase", p, name).set(name.equals(phase) ? 1 : 0);
        }
    }

    static String phase(Progress p) {
        if (p.finished()) {
            return p.status().name();
        }
        return p.paused() ? "paused" : p.step() == 0 ? "mirror" : "progressing";
    }

    private AtomicInteger gauge(String name, Progress p, String phase) {
        String key = name + "|" + p.function() + "|" + p.region() + "|" + phase;
        return gauges.computeIfAbsent(key, k -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.Builder<AtomicInteger> b = Gauge.builder(name, value, AtomicInteger::get)
                    .tag("canary", p.function())
                    .tag("region", p.region());
            if (phase != null) {
                b.tag("phase", phase);
            }
            b.register(registry);
            return value;
        });
    }

    /** The Prometheus text of every gauge. */
    public String scrape() {
        return registry.scrape();
    }

    /** Serves /metrics on a port (0 picks one); answers the port. */
    public int serve(String host, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            server.createContext("/metrics", ex -> {
                byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("content-type", "text/plain; version=0.0.4");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(null);
            server.start();
            return server.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }
}
