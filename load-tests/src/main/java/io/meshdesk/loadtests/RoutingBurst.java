package io.meshdesk.loadtests;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A routing burst: agents register and heartbeat, sessions arrive at a rate rising from a
 * quarter of the target to the target over the run (open loop), and agents close each session
 * shortly after it is assigned. Two routing instances share the work, as in a region.
 */
final class RoutingBurst {

    record Parameters(Duration duration, int peakRate, int agents, int maxInFlight, Duration hold) {}

    static Report run(Platform platform, Parameters p) {
        List<FunctionClient> routing = platform.routingInstances().stream()
                .map(f -> new FunctionClient(f.url()))
                .toList();
        Timeline route = new Timeline("session-route");
        Timeline close = new Timeline("session-close");
        AtomicLong assigned = new AtomicLong();
        AtomicLong queued = new AtomicLong();
        AtomicLong shed = new AtomicLong();
        Semaphore inFlight = new Semaphore(p.maxInFlight());
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
        long start = System.nanoTime();
        long end = start + p.duration().toNanos();
        long issued = 0;
        try (AgentPool agents = new AgentPool(routing, platform.tokens(), "burst-a", p.agents(), 100);
                Ticker ticker = new Ticker(List.of(route, close))) {
            while (System.nanoTime() < end) {
                long due = (long) integrate(
                        p.peakRate(),
                        (System.nanoTime() - start) / 1e9,
                        p.duration().toNanos() / 1e9);
                while (issued < due) {
                    issued++;
                    if (!inFlight.tryAcquire()) {
                        shed.incrementAndGet();
                        continue;
                    }
                    String id = "burst-" + issued;
                    FunctionClient r = routing.get((int) (issued % routing.size()))
                            .as(platform.tokens().customer(FunctionClient.customerOf(id)));
                    long t0 = System.nanoTime();
                    r.callAsync("session-route", FunctionClient.session(id, "en"))
                            .whenComplete((answer, failure) -> {
                                if (failure != null) {
                                    route.error();
                                    inFlight.release();
                                    return;
                                }
                                route.ok(System.nanoTime() - t0);
                                (answer.path("state").asText().equals("assigned") ? assigned : queued)
                                        .incrementAndGet();
                                clock.schedule(
                                        () -> closeSession(r, id, answer, close, inFlight),
                                        p.hold().toMillis(),
                                        TimeUnit.MILLISECONDS);
                            });
                }
                Pause.millis(5);
            }
            // Every session still open gets closed before the clock stops (closes are scheduled on it).
            if (!inFlight.tryAcquire(p.maxInFlight(), 60, TimeUnit.SECONDS)) {
                System.err.println("some sessions were still open 60 s after the last arrival");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clock.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Report("routing-burst")
                .parameter("duration_s", p.duration().toSeconds())
                .parameter("peak_rate_per_s", p.peakRate())
                .parameter("agents", p.agents())
                .parameter("max_in_flight", p.maxInFlight())
                .parameter("hold_ms", p.hold().toMillis())
                .parameter("routing_instances", routing.size())
                .figure("sessions_routed", route.total().getTotalCount())
                .figure("assigned", assigned.get())
                .figure("queued", queued.get())
                .figure("shed_by_driver", shed.get())
                .figure("errors", route.errors() + close.errors())
                .figure("achieved_rate_per_s", route.total().getTotalCount() / seconds)
                .figure("route_p99_ms", route.percentileMs(99))
                .timeline(route)
                .timeline(close);
    }

    /** Sessions due by time t on a rate rising linearly from peak/4 to peak over the run. */
    static double integrate(double peak, double t, double length) {
        return peak * (0.25 * t + 0.375 * t * t / length);
    }

    private static void closeSession(
            FunctionClient routing, String id, JsonNode answer, Timeline close, Semaphore inFlight) {
        long t0 = System.nanoTime();
        String outcome = answer.path("state").asText().equals("assigned") ? "resolved" : "abandoned";
        routing.callAsync("session-close", java.util.Map.of("sessionId", id, "outcome", outcome))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        close.error();
                    } else {
                        close.ok(System.nanoTime() - t0);
                    }
                    inFlight.release();
                });
    }
}
