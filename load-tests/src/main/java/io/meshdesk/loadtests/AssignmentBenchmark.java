package io.meshdesk.loadtests;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.meshdesk.routing.metrics.RoutingMetrics;

/**
 * Assignment throughput against its physical limit: sessions assigned per second through
 * session-route, divided by raw etcd transactions per second of the same shape (two compares,
 * two puts and a delete) from the same number of concurrent callers against the same etcd. One
 * assignment needs at least one transaction, so 1.0 is the ceiling. Then the routing decision
 * P99 at a fixed arrival rate (open loop).
 */
final class AssignmentBenchmark {

    /** Raw transactions run for the warm-up and then this long. */
    private static final Duration RAW_MEASURED = Duration.ofSeconds(5);

    record Parameters(int concurrency, int sessions, int fixedRate, Duration fixedRateDuration, Duration warmUp) {}

    static Report run(Platform platform, Parameters p) throws InterruptedException {
        double raw = rawTransactionsPerSecond(platform, p.concurrency(), p.warmUp());
        FunctionClient routing =
                new FunctionClient(platform.routingInstances().get(0).url());
        Timeline route = new Timeline("session-route (closed loop)")
                .warmUp((int) p.warmUp().toSeconds());
        SteadyRate assigned = new SteadyRate(p.warmUp());
        AtomicLong next = new AtomicLong();
        Timeline fixed;
        long conflicts;
        // Sessions are never closed here: enough agents to hold all of them, and at least one per caller.
        int agentCount = Math.max(
                p.concurrency(),
                FunctionClient.agentsFor(p.sessions()
                        + (long) p.fixedRate() * p.fixedRateDuration().toSeconds()));
        try (AgentPool agents = new AgentPool(
                List.of(routing), platform.tokens(), "bench-a", agentCount, FunctionClient.MAX_AGENT_CAPACITY)) {
            closedLoop(routing, platform.tokens(), p, route, assigned, next);
            // Read before the open loop, which may leave routing with a backlog to work off.
            conflicts = routingConflicts(routing);
            fixed = fixedRate(routing, platform.tokens(), p.fixedRate(), p.fixedRateDuration());
        }
        double assignedPerSecond = assigned.perSecond();
        return new Report("bench-assignment")
                .parameter("concurrency", p.concurrency())
                .parameter("sessions", p.sessions())
                .parameter("fixed_rate_per_s", p.fixedRate())
                .parameter("fixed_rate_duration_s", p.fixedRateDuration().toSeconds())
                .parameter("warm_up_s", p.warmUp().toSeconds())
                .figure("raw_etcd_txn_per_s", raw)
                .figure("assigned_per_s", assignedPerSecond)
                .figure("ratio_assigned_to_raw_txn", assignedPerSecond / raw)
                .figure("ratio_target_at_least", 0.5)
                .figure("route_errors", route.errors())
                .figure("decision_p99_ms_at_fixed_rate", fixed.percentileMs(99))
                .figure(
                        "achieved_fixed_rate_per_s",
                        fixed.total().getTotalCount()
                                / (double) Math.max(1, p.fixedRateDuration().toSeconds()))
                .figure("fixed_rate_errors", fixed.errors())
                .figure("assignment_conflicts", conflicts)
                .figure("conflicts_per_session_closed_loop", conflicts / (double) Math.max(1, p.sessions()))
                .note("Raw etcd: the same number of callers, each committing transactions shaped like an assignment "
                        + "(compare two mod revisions; put two keys, delete one) against the same etcd, just before, "
                        + "for the warm-up and " + RAW_MEASURED.toSeconds() + " s more.")
                .note("Both rates leave out the first " + p.warmUp().toSeconds() + " s (JIT compilation, connection "
                        + "set-up); the closed loop's assigned_per_s counts " + assigned.counted() + " assignments.")
                .timeline(route)
                .timeline(fixed);
    }

    /** Assignment transactions that lost a race, as routing counts them. */
    private static long routingConflicts(FunctionClient routing) {
        String series = RoutingMetrics.ASSIGNMENT_CONFLICTS.replace('.', '_') + "_total";
        // A sample line is name{labels} value, possibly followed by an exemplar and its timestamp.
        return (long) routing.metrics()
                .lines()
                .filter(l -> l.startsWith(series + "{") || l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ', Math.max(0, l.indexOf('}'))) + 1)
                        .split(" ")[0]))
                .sum();
    }

    /** Callers route sessions back to back until p.sessions() have been routed. */
    private static void closedLoop(
            FunctionClient routing, Tokens tokens, Parameters p, Timeline route, SteadyRate assigned, AtomicLong next)
            throws InterruptedException {
        try (Ticker ticker = new Ticker(List.of(route))) {
            List<Thread> callers = new ArrayList<>();
            for (int c = 0; c < p.concurrency(); c++) {
                callers.add(Workers.start("route-caller", () -> {
                    long n;
                    while ((n = next.incrementAndGet()) <= p.sessions()) {
                        String id = "bench-" + n;
                        // Signed before the clock starts: the figure is routing's time, not the driver's.
                        FunctionClient customer = routing.as(tokens.customer(FunctionClient.customerOf(id)));
                        long s = System.nanoTime();
                        try {
                            var answer = customer.call("session-route", FunctionClient.session(id, "en"));
                            route.ok(System.nanoTime() - s);
                            if (answer.path("state").asText().equals("assigned")) {
                                assigned.completed();
                            }
                        } catch (RuntimeException e) {
                            route.error();
                        }
                    }
                }));
            }
            for (Thread t : callers) {
                t.join();
            }
        }
    }

    static double rawTransactionsPerSecond(Platform platform, int concurrency, Duration warmUp)
            throws InterruptedException {
        try (Client client = Client.builder()
                .endpoints(platform.etcd().endpoints().toArray(String[]::new))
                .build()) {
            KV kv = client.getKVClient();
            AtomicLong next = new AtomicLong();
            SteadyRate rate = new SteadyRate(warmUp);
            long end = System.nanoTime() + warmUp.plus(RAW_MEASURED).toNanos();
            List<Thread> callers = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                int caller = c;
                callers.add(Workers.start("raw-txn", () -> {
                    ByteSequence load = bytes("/bench/raw/load/" + caller);
                    long loadRevision = 0;
                    long n;
                    while (System.nanoTime() < end) {
                        n = next.incrementAndGet();
                        ByteSequence session = bytes("/bench/raw/session/" + n);
                        try {
                            var r = kv.txn()
                                    .If(
                                            new Cmp(load, Cmp.Op.EQUAL, CmpTarget.modRevision(loadRevision)),
                                            new Cmp(session, Cmp.Op.EQUAL, CmpTarget.modRevision(0)))
                                    .Then(
                                            Op.put(load, bytes("{\"used\":" + n + "}"), PutOption.DEFAULT),
                                            Op.put(
                                                    session,
                                                    bytes("{\"state\":\"assigned\",\"agent\":\"a" + caller + "\"}"),
                                                    PutOption.DEFAULT),
                                            Op.delete(bytes("/bench/raw/queue/" + n), DeleteOption.DEFAULT))
                                    .commit()
                                    .get(10, TimeUnit.SECONDS);
                            loadRevision = r.getHeader().getRevision();
                            rate.completed();
                        } catch (Exception e) {
                            throw new IllegalStateException("raw etcd transaction failed: " + e.getMessage(), e);
                        }
                    }
                }));
            }
            for (Thread t : callers) {
                t.join();
            }
            return rate.perSecond();
        }
    }

    /** Sessions arriving at a fixed rate whatever the answers take (open loop). */
    static Timeline fixedRate(FunctionClient routing, Tokens tokens, int rate, Duration duration) {
        Timeline t = new Timeline("session-route at " + rate + "/s (open loop)");
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long issued = 0;
        AtomicLong inFlight = new AtomicLong();
        try (Ticker ticker = new Ticker(List.of(t))) {
            while (System.nanoTime() < end) {
                long due = (long) (rate * (System.nanoTime() - start) / 1e9);
                while (issued < due) {
                    issued++;
                    String id = "fixed-" + issued + "-" + start;
                    FunctionClient customer = routing.as(tokens.customer(FunctionClient.customerOf(id)));
                    long s = System.nanoTime();
                    inFlight.incrementAndGet();
                    customer.callAsync("session-route", FunctionClient.session(id, "en"))
                            .whenComplete((ok, failure) -> {
                                if (failure == null) {
                                    t.ok(System.nanoTime() - s);
                                } else {
                                    t.error();
                                }
                                inFlight.decrementAndGet();
                            });
                }
                Pause.millis(1);
            }
            long drain = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (inFlight.get() > 0 && System.nanoTime() < drain) {
                Pause.millis(10);
            }
        }
        return t;
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
