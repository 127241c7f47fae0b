package io.meshdesk.meshconfig.canary;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The controller's own metrics, per canary and region, served at /metrics when the controller is
 * given a port. The names here are the ones the mesh and canary dashboard queries (its tests take
 * them from these constants):
 *
 * <ul>
 *   <li>meshdesk_canary_weight: the candidate's live weight in percent;
 *   <li>meshdesk_canary_phase{phase}: 1 for the phase the rollout is in, 0 for the others;
 *   <li>meshdesk_canary_decisions_total{decision}: the decisions in the cluster's log, as the
 *       controller sees them appear (its own, and pause, resume and abort from other machines);
 *   <li>meshdesk_canary_last_decision{decision}: 1 for the latest decision, 0 for the others;
 *   <li>meshdesk_canary_check_value{check} and meshdesk_canary_check_verdict{check,verdict}: each
 *       check of the latest analysis, its value (NaN without data) and its verdict (1 for it).
 * </ul>
 */
public final class CanaryMetrics {

    public static final String WEIGHT = "meshdesk.canary.weight";
    public static final String PHASE = "meshdesk.canary.phase";
    public static final String DECISIONS = "meshdesk.canary.decisions";
    public static final String LAST_DECISION = "meshdesk.canary.last.decision";
    public static final String CHECK_VALUE = "meshdesk.canary.check.value";
    public static final String CHECK_VERDICT = "meshdesk.canary.check.verdict";

    public static final List<String> PHASES =
            List.of("mirror", "progressing", "paused", "promoted", "rolledBack", "aborted");
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();
    /** Per canary and region, the time of the newest log entry counted; updates come from each rollout's thread. */
    private final Map<String, Instant> counted = new ConcurrentHashMap<>();

    /** Records where a rollout stands now, and the decisions its log has gained since the last update. */
    public void update(Progress p, int weight) {
        gauge(WEIGHT, p).set((double) weight);
        String phase = phase(p);
        for (String name : PHASES) {
            gauge(PHASE, p, "phase", name).set(name.equals(phase) ? 1.0 : 0.0);
        }
        List<Progress.LogEntry> log = p.log() == null ? List.of() : p.log();
        if (log.isEmpty()) {
            return;
        }
        String key = p.function() + "|" + p.region();
        Instant since = counted.get(key);
        for (Progress.LogEntry e : log) {
            if (since == null || e.at().isAfter(since)) {
                Counter.builder(DECISIONS)
                        .tag("canary", p.function())
                        .tag("region", p.region())
                        .tag("decision", e.decision().toString())
                        .register(registry)
                        .increment();
            }
        }
        counted.put(key, log.get(log.size() - 1).at());
        Decision last = log.get(log.size() - 1).decision();
        for (Decision d : Decision.values()) {
            gauge(LAST_DECISION, p, "decision", d.toString()).set(d == last ? 1.0 : 0.0);
        }
        for (int i = log.size() - 1; i >= 0; i--) {
            List<Check> checks = log.get(i).checks();
            if (checks != null && !checks.isEmpty()) {
                for (Check c : checks) {
                    gauge(CHECK_VALUE, p, "check", c.name()).set(c.value() == null ? Double.NaN : c.value());
                    for (Verdict v : Verdict.values()) {
                        gauge(CHECK_VERDICT, p, "check", c.name(), "verdict", v.toString())
                                .set(v == c.verdict() ? 1.0 : 0.0);
                    }
                }
                break;
            }
        }
    }

    static String phase(Progress p) {
        if (p.finished()) {
            return p.status().name();
        }
        return p.paused() ? "paused" : p.step() == 0 ? "mirror" : "progressing";
    }

    /** A gauge per canary, region and the extra label pairs, registered on first use. */
    private AtomicReference<Double> gauge(String name, Progress p, String... labels) {
        String key = name + "|" + p.function() + "|" + p.region() + "|" + String.join("|", labels);
        return gauges.computeIfAbsent(key, k -> {
            AtomicReference<Double> value = new AtomicReference<>(0.0);
            Gauge.Builder<AtomicReference<Double>> b = Gauge.builder(name, value, AtomicReference::get)
                    .tag("canary", p.function())
                    .tag("region", p.region());
            for (int i = 0; i < labels.length; i += 2) {
                b.tag(labels[i], labels[i + 1]);
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
