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
        Optional<Progress> existing = store.read(canary.function());
        if (existing.isPresent() && canary.canaryVersion().equals(existing.get().canaryVersion())) {
            return existing.get();
        }
        String candidate = routes.candidateRevision();
        String stable = routes.stableRevision(candidate);
        int step = firstStep();
        routes.set(stable, candidate, canary.weight(step), mirrorAt(step));
        Instant now = clock.instant();
        Progress p = new Progress(
                canary.function(),
                region,
                canary.canaryVersion(),
                Progress.Status.progressing,
                step,
                0,
                false,
                stable,
                candidate,
                now,
                null,
                List.of());
        String hook = webhooks.call(canary, Canary.WebhookType.preRollout, region, step);
        p = p.logged(new Progress.LogEntry(
                now,
                step,
                canary.weight(step),
                Decision.ADVANCE,
                "started: " + phase(step) + (hook == null ? "" : "; " + hook),
                List.of()));
        store.write(p);
        measure(p);
        say(p, "started " + phase(step) + " (stable " + stable + ", candidate " + candidate + ")");
        return p;
    }

    private int mirrorAt(int step) {
        return step == 0 ? canary.analysis().mirrorPercentage() : 0;
    }

    private String phase(int step) {
        return step == 0
                ? "mirror phase at " + canary.analysis().mirrorPercentage() + "%"
                : "step " + step + " at " + canary.weight(step) + "%";
    }

    /** One analysis and what it decides, written to the cluster. */
    public Progress tick() {
        Progress p = store.read(canary.function()).orElseGet(this::start);
        if (p.finished()) {
            return p;
        }
        Instant now = clock.instant();
        Canary.Analysis a = canary.analysis();
        List<Check> checks = analysis.run(canary, namespaceOf());
        // The checks take a moment: a pause or abort from another machine meanwhile wins.
        p = store.read(canary.function()).orElse(p);
        if (p.finished()) {
            return p;
        }
        int weight = canary.weight(p.step());
        if (p.paused()) {
            return record(p, now, Decision.HOLD, "paused: weights held, checks logged", checks);
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
                Instant holding = p.holdingSince() == null ? now : p.holdingSince();
                String reason = counted
                        ? "failed analysis " + failures + " of threshold " + a.threshold()
                        : "no data: weights held";
                if (!counted) {
                    String hook = webhooks.call(canary, Canary.WebhookType.preRollout, region, p.step());
                    reason += hook == null ? "" : "; " + hook;
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
                return record(
                        p.with(p.status(), p.step(), failures, p.stepStartedAt(), holding),
                        now,
                        Decision.HOLD,
                        reason,
                        checks);
            }
            default -> {
                if (p.step() >= lastStep()) {
                    String hook = webhooks.call(canary, Canary.WebhookType.confirmPromotion, region, p.step());
                    if (hook != null) {
                        int f = p.failures() + 1;
                        if (f >= a.threshold()) {
                            return rollback(p, now, f, hook + "; threshold " + a.threshold() + " reached", checks);
                        }
                        return record(
                                p.with(p.status(), p.step(), f, p.stepStartedAt(), p.holdingSince()),
                                now,
                                Decision.HOLD,
                                hook,
                                checks);
                    }
                    routes.promote(p.stableRevision(), p.candidateRevision());
                    return record(
                            p.with(Progress.Status.promoted, p.step() + 1, failures, now, null),
                            now,
                            Decision.ADVANCE,
                            "promoted: " + p.candidateRevision() + " takes 100%, " + p.stableRevision() + " kept at 0%",
                            checks);
                }
                int next = p.step() + 1;
                routes.set(p.stableRevision(), p.candidateRevision(), canary.weight(next), mirrorAt(next));
                return record(
                        p.with(Progress.Status.progressing, next, failures, now, null),
                        now,
                        Decision.ADVANCE,
                        "advanced from " + weight + "% to " + phase(next),
                        checks);
            }
        }
    }

    private Progress rollback(Progress p, Instant now, int failures, String reason, List<Check> checks) {
        routes.rollback(p.stableRevision(), p.candidateRevision());
        return record(
                p.with(Progress.Status.rolledBack, p.step(), failures, p.stepStartedAt(), p.holdingSince()),
                now,
                Decision.ROLLBACK,
                "rolled back: " + reason,
                checks);
    }

    private Progress record(Progress p, Instant now, Decision d, String reason, List<Check> checks) {
        Progress logged = p.logged(new Progress.LogEntry(
                now,
                p.step(),
                p.finished() && d == Decision.ADVANCE ? 100 : canary.weight(p.step()),
                d,
                reason,
                checks));
        store.write(logged);
        measure(logged);
        say(logged, d + ": " + reason);
        return logged;
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
