package io.meshdesk.meshconfig.canary;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshdesk.meshconfig.model.Canary;
import io.meshdesk.meshconfig.model.MeshConfig;

/**
 * Drives one canary in one region: starts it (or picks it up where the cluster says it is),
 * and on each tick runs the checks once and acts on the decision: advance a step (or promote
 * after the last), hold, or roll back. Every decision is written to the cluster before the
 * next one, so a controller that dies mid-rollout resumes from there.
 */
public final class Rollout {

    private final Canary canary;
    private final String region;
    private final ProgressStore store;
    private final Routes routes;
    private final Analysis analysis;
    private final Webhooks webhooks;
    private final Clock clock;
    private final Consumer<String> out;
    private CanaryMetrics metrics;

    public Rollout(
            Canary canary,
            String region,
            KubernetesClient client,
            String namespace,
            Analysis analysis,
            Webhooks webhooks,
            Clock clock,
            Consumer<String> out) {
        this.canary = canary;
        this.region = region;
        this.store = new ProgressStore(client, namespace);
        this.routes = new Routes(client, namespace, canary.function());
        this.analysis = analysis;
        this.webhooks = webhooks;
        this.clock = clock;
        this.out = out;
    }

    /** Keeps meshdesk_canary_weight and meshdesk_canary_phase up to date with every decision. */
    public Rollout withMetrics(CanaryMetrics m) {
        this.metrics = m;
        return this;
    }

    /** The step a rollout starts at: the file's, but a rollout without a mirror phase starts at step 1. */
    int firstStep() {
        return Math.max(canary.step(), canary.mirrors() ? 0 : 1);
    }

    int lastStep() {
        return canary.weights().size();
    }

    /** The progress the cluster has for this canary version, or a new rollout with its first weights set. */
    public Progress start() {
        for (int attempt = 1; ; attempt++) {
            Optional<ProgressStore.Stored> existing = store.load(canary.function());
            if (existing.isPresent()
                    && canary.canaryVersion().equals(existing.get().progress().canaryVersion())) {
                return existing.get().progress();
            }
            String candidate = routes.candidateRevision();
            String stable = routes.stableRevision(candidate);
            int step = firstStep();
            Instant now = clock.instant();
            String hook = webhooks.call(canary, Canary.WebhookType.preRollout, region, step);
            // A failed or timed-out preRollout hook is a failure like a failed check.
            int failures = hook == null ? 0 : 1;
            boolean rolledBack = failures >= canary.analysis().threshold();
            Progress p = new Progress(
                            canary.function(),
                            region,
                            canary.canaryVersion(),
                            rolledBack ? Progress.Status.rolledBack : Progress.Status.progressing,
                            step,
                            failures,
                            false,
                            stable,
                            candidate,
                            now,
                            null,
                            List.of())
                    .logged(new Progress.LogEntry(
                            now,
                            step,
                            canary.weight(step),
                            rolledBack ? Decision.ROLLBACK : Decision.ADVANCE,
                            rolledBack
                                    ? "rolled back: preRollout " + hook + "; " + failures
                                            + " failure reaches threshold "
                                            + canary.analysis().threshold()
                                    : "started: " + phase(step)
                                            + (hook == null ? "" : "; preRollout " + hook + failureOf(failures)),
                            List.of()));
            // Recorded first, then applied: a second controller that lost the race applies nothing.
            boolean recorded =
                    existing.isPresent() ? store.replace(p, existing.get().resourceVersion()) : store.create(p);
            if (recorded) {
                if (rolledBack) {
                    routes.rollback(stable, candidate);
                } else {
                    routes.set(stable, candidate, canary.weight(step), mirrorAt(step));
                }
                measure(p);
                say(p, "started " + phase(step) + " (stable " + stable + ", candidate " + candidate + ")");
                return p;
            }
            giveUpAfter(attempt);
        }
    }

    private String failureOf(int failures) {
        return " (failure " + failures + " of threshold " + canary.analysis().threshold() + ")";
    }

    private int mirrorAt(int step) {
        return step == 0 ? canary.analysis().mirrorPercentage() : 0;
    }

    private String phase(int step) {
        return step == 0
                ? "mirror phase at " + canary.analysis().mirrorPercentage() + "%"
                : "step " + step + " at " + canary.weight(step) + "%";
    }

    /** A decision: the progress to record, and the route change that goes with it once it is recorded. */
    private record Next(Progress progress, Runnable routes, String said) {}

    private static final Runnable NO_ROUTE_CHANGE = () -> {};

    /**
     * One analysis and what it decides, written to the cluster. The checks take a moment, and a
     * pause or abort from another machine may land meanwhile, or even between this controller's
     * read and its write: the write names the resourceVersion it read, so it fails then, and the
     * decision is made again on what the cluster says now. Routes change only after the decision
     * is recorded.
     */
    public Progress tick() {
        Optional<ProgressStore.Stored> before = store.load(canary.function());
        if (before.isEmpty()) {
            return start();
        }
        if (before.get().progress().finished()) {
            return before.get().progress();
        }
        Instant now = clock.instant();
        List<Check> checks = analysis.run(canary, namespaceOf());
        for (int attempt = 1; ; attempt++) {
            Optional<ProgressStore.Stored> stored = store.load(canary.function());
            if (stored.isEmpty()) {
                return start();
            }
            Progress p = stored.get().progress();
            if (p.finished()) {
                return p;
            }
            Next next = decide(p, now, checks);
            if (store.replace(next.progress(), stored.get().resourceVersion())) {
                next.routes().run();
                obeyLaterChanges(next.progress());
                measure(next.progress());
                say(next.progress(), next.said());
                return next.progress();
            }
            giveUpAfter(attempt);
        }
    }

    private static final int ATTEMPTS = 5;

    private void giveUpAfter(int attempt) {
        if (attempt >= ATTEMPTS) {
            throw new IllegalStateException("ConfigMap " + namespaceOf() + "/" + ProgressStore.name(canary.function())
                    + " in " + region + " changed under each of " + ATTEMPTS + " attempts to record a decision; "
                    + "is a second controller running this canary? Stop one of them");
        }
    }

    private Next decide(Progress p, Instant now, List<Check> checks) {
        Canary.Analysis a = canary.analysis();
        int weight = canary.weight(p.step());
        if (p.paused()) {
            return next(p, now, Decision.HOLD, "paused: weights held, checks logged", checks, NO_ROUTE_CHANGE);
        }
        Decision decision = Analysis.decide(checks, a, p.failures());
        boolean counted = Analysis.counts(checks, a);
        int failures = counted
                ? p.failures() + 1
                : a.failureCountingOrDefault() == Canary.FailureCounting.consecutive ? 0 : p.failures();
        switch (decision) {
            case ROLLBACK -> {
                return rollback(
                        p, now, failures, failures + " failed analyses reach threshold " + a.threshold(), checks);
            }
            case HOLD -> {
                Optional<String> unreachable = counted ? Optional.empty() : Analysis.unreachable(checks);
                if (unreachable.isPresent()) {
                    return prometheusDown(p, now, unreachable.get(), checks);
                }
                Instant holding = p.holdingSince() == null ? now : p.holdingSince();
                String reason = counted
                        ? "failed analysis " + failures + " of threshold " + a.threshold()
                        : "no data: weights held";
                if (!counted) {
                    String hook = webhooks.call(canary, Canary.WebhookType.preRollout, region, p.step());
                    if (hook != null) {
                        // The load hook failing leaves the analysis without data: a failure of its own.
                        failures = p.failures() + 1;
                        if (failures >= a.threshold()) {
                            return rollback(
                                    p,
                                    now,
                                    failures,
                                    "preRollout " + hook + "; " + failures + " failures reach threshold "
                                            + a.threshold(),
                                    checks);
                        }
                        reason += "; preRollout " + hook + failureOf(failures);
                    }
                }
                if (a.progressDeadline() != null
                        && Duration.between(holding, now).toMillis() >= MeshConfig.millis(a.progressDeadline())) {
                    return rollback(
                            p,
                            now,
                            failures,
                            "held since " + holding + ", past progressDeadline " + a.progressDeadline(),
                            checks);
                }
                return next(
                        p.with(p.status(), p.step(), failures, p.stepStartedAt(), holding),
                        now,
                        Decision.HOLD,
                        reason,
                        checks,
                        NO_ROUTE_CHANGE);
            }
            default -> {
                if (p.step() >= lastStep()) {
                    String hook = webhooks.call(canary, Canary.WebhookType.confirmPromotion, region, p.step());
                    if (hook != null) {
                        int f = p.failures() + 1;
                        if (f >= a.threshold()) {
                            return rollback(p, now, f, hook + "; threshold " + a.threshold() + " reached", checks);
                        }
                        return next(
                                p.with(p.status(), p.step(), f, p.stepStartedAt(), p.holdingSince()),
                                now,
                                Decision.HOLD,
                                hook,
                                checks,
                                NO_ROUTE_CHANGE);
                    }
                    return next(
                            p.with(Progress.Status.promoted, p.step() + 1, failures, now, null),
                            now,
                            Decision.ADVANCE,
                            "promoted: " + p.candidateRevision() + " takes 100%, " + p.stableRevision() + " kept at 0%",
                            checks,
                            () -> routes.promote(p.stableRevision(), p.candidateRevision()));
                }
                int step = p.step() + 1;
                return next(
                        p.with(Progress.Status.progressing, step, failures, now, null),
                        now,
                        Decision.ADVANCE,
                        "advanced from " + weight + "% to " + phase(step),
                        checks,
                        () -> routes.set(
                                p.stableRevision(), p.candidateRevision(), canary.weight(step), mirrorAt(step)));
            }
        }
    }

    /**
     * Prometheus could not be queried: nothing is known about the candidate, so the weights are
     * held and neither the failures nor the progress deadline move. The time since the last
     * decision is taken off the deadline's clock (holdingSince moves forward by it).
     */
    private Next prometheusDown(Progress p, Instant now, String why, List<Check> checks) {
        Instant holding = p.holdingSince();
        if (holding != null && !p.log().isEmpty()) {
            Duration outage = Duration.between(p.log().get(p.log().size() - 1).at(), now);
            holding = outage.isNegative() ? holding : holding.plus(outage);
        }
        return next(
                p.with(p.status(), p.step(), p.failures(), p.stepStartedAt(), holding),
                now,
                Decision.HOLD,
                "Prometheus error: weights held, counted toward neither threshold nor progressDeadline; " + why,
                checks,
                NO_ROUTE_CHANGE);
    }

    private Next rollback(Progress p, Instant now, int failures, String reason, List<Check> checks) {
        return next(
                p.with(Progress.Status.rolledBack, p.step(), failures, p.stepStartedAt(), p.holdingSince()),
                now,
                Decision.ROLLBACK,
                "rolled back: " + reason,
                checks,
                () -> routes.rollback(p.stableRevision(), p.candidateRevision()));
    }

    private Next next(Progress p, Instant now, Decision d, String reason, List<Check> checks, Runnable routeChange) {
        Progress logged = p.logged(new Progress.LogEntry(
                now,
                p.step(),
                p.finished() && d == Decision.ADVANCE ? 100 : canary.weight(p.step()),
                d,
                reason,
                checks));
        return new Next(logged, routeChange, d + ": " + reason);
    }

    /**
     * An abort recorded between this controller's write and its route change has rolled the
     * routes back before this controller set them: set them to what the cluster says now.
     */
    private void obeyLaterChanges(Progress written) {
        store.read(canary.function()).ifPresent(now -> {
            if (now.status() != written.status() || now.step() != written.step()) {
                applyRoutes(now);
            }
        });
    }

    /** The routes a recorded progress means: its step's weights, the promotion, or all on stable. */
    private void applyRoutes(Progress p) {
        switch (p.status()) {
            case progressing ->
                routes.set(p.stableRevision(), p.candidateRevision(), canary.weight(p.step()), mirrorAt(p.step()));
            case promoted -> routes.promote(p.stableRevision(), p.candidateRevision());
            case rolledBack, aborted -> routes.rollback(p.stableRevision(), p.candidateRevision());
        }
    }

    private void measure(Progress p) {
        if (metrics != null) {
            int w = p.status() == Progress.Status.promoted ? 100 : p.finished() ? 0 : canary.weight(p.step());
            metrics.update(p, w);
        }
    }

    private void say(Progress p, String what) {
        out.accept(canary.function() + " " + canary.canaryVersion() + " in " + region + ": " + what);
    }

    private String namespaceOf() {
        return store.namespace();
    }

    /**
     * Runs to the end: one tick per interval after each step starts, watching the cluster every
     * poll for an abort or pause from another machine. Answers the final progress.
     */
    public Progress run(Duration poll) throws InterruptedException {
        Progress p = start();
        if (!p.finished()) {
            // A controller that died between recording a decision and applying it left the routes behind.
            applyRoutes(p);
        }
        long interval = MeshConfig.millis(canary.analysis().interval());
        Instant lastTick = clock.instant();
        while (!p.finished()) {
            Thread.sleep(poll.toMillis());
            p = store.read(canary.function()).orElseGet(this::start);
            measure(p);
            if (p.finished()) {
                break;
            }
            if (Duration.between(lastTick, clock.instant()).toMillis() >= interval) {
                lastTick = clock.instant();
                p = tick();
            }
        }
        return p;
    }
}
