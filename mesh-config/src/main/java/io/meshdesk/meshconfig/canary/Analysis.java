package io.meshdesk.meshconfig.canary;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import io.meshdesk.meshconfig.model.Canary;

/**
 * Runs a canary's checks once, now, against one region's Prometheus. A check with fewer than
 * minSamples requests in the interval, or whose query has no value, is no-data: never pass.
 * A Prometheus that cannot be queried makes the check error: the decision holds, and a rollout
 * counts it toward neither the threshold nor the progress deadline. A comparative check (maxDegradation) judges the candidate against the stable version over the
 * same window, so a bad hour for every version does not fail a good candidate.
 */
public final class Analysis {

    /** Requests in the interval below which a built-in check is no-data, when the canary does not say. */
    public static final int DEFAULT_MIN_SAMPLES = 10;

    static final String REQUEST_SUCCESS_RATE = "request-success-rate";
    /** Shadow (candidate) and stable decisions compared: request-slis.yml's decision-agreement. */
    static final String DECISION_AGREEMENT = "decision-agreement";

    private final Prometheus prometheus;
    private final SliQueries sli;

    public Analysis(Prometheus prometheus, SliQueries sli) {
        this.prometheus = prometheus;
        this.sli = sli;
    }

    /** Every check of the canary, for the candidate version (and the stable one where a check compares). */
    public List<Check> run(Canary canary, String namespace) {
        Canary.Analysis a = canary.analysis();
        Canary.Source source = a.sourceOrDefault();
        String fn = canary.function();
        String interval = a.interval();
        List<Check> checks = new ArrayList<>();
        String samplesQuery = sli.render(source, SliQueries.REQUESTS, fn, canary.canaryVersion(), namespace, interval);
        for (Canary.Metric m : a.checks()) {
            try {
                if (sli.builtIn(source, m.name())) {
                    checks.add(builtIn(canary, m, source, namespace, samplesQuery));
                } else if (SliQueries.recordingRule(m.name())) {
                    checks.add(recordingRule(m));
                } else {
                    checks.add(new Check(
                            m.name(),
                            null,
                            null,
                            threshold(m),
                            0,
                            Verdict.FAIL,
                            "unknown check: neither " + "a built-in SLI of source " + source
                                    + " nor an SLI recording rule name"));
                }
            } catch (Prometheus.PrometheusError e) {
                String query = sli.builtIn(source, m.name())
                        ? sli.render(source, m.name(), fn, canary.canaryVersion(), namespace, interval)
                        : "max(" + m.name() + ")";
                checks.add(new Check(m.name(), query, null, threshold(m), 0, Verdict.ERROR, e.getMessage()));
            }
        }
        return checks;
    }

    private Check builtIn(Canary canary, Canary.Metric m, Canary.Source source, String namespace, String samplesQuery) {
        String fn = canary.function();
        String query = sli.render(
                source,
                m.name(),
                fn,
                canary.canaryVersion(),
                namespace,
                canary.analysis().interval());
        long samples = Math.round(prometheus.value(samplesQuery).orElse(0));
        int minSamples = m.minSamples() == null ? DEFAULT_MIN_SAMPLES : m.minSamples();
        OptionalDouble value = prometheus.value(query);
        Double v = value.isPresent() ? value.getAsDouble() : null;
        if (samples < minSamples || v == null) {
            return new Check(
                    m.name(),
                    query,
                    v,
                    threshold(m),
                    samples,
                    Verdict.NO_DATA,
                    samples < minSamples
                            ? "fewer than minSamples " + minSamples + " requests"
                            : "the query has no value");
        }
        String outside = outside(m, v);
        if (outside != null) {
            return new Check(m.name(), query, v, threshold(m), samples, Verdict.FAIL, outside);
        }
        if (m.maxDegradation() != null) {
            String stableQuery = sli.render(
                    source,
                    m.name(),
                    fn,
                    canary.stableVersion(),
                    namespace,
                    canary.analysis().interval());
            OptionalDouble stable = prometheus.value(stableQuery);
            if (stable.isEmpty()) {
                return new Check(
                        m.name(),
                        query,
                        v,
                        threshold(m),
                        samples,
                        Verdict.NO_DATA,
                        "the stable version has no value to compare with: " + stableQuery);
            }
            double worse = degradation(m.name(), v, stable.getAsDouble());
            if (worse > m.maxDegradation()) {
                return new Check(
                        m.name(),
                        query,
                        v,
                        threshold(m),
                        samples,
                        Verdict.FAIL,
                        String.format(
                                "%.3f worse than stable (%.3f), more than maxDegradation %s",
                                worse, stable.getAsDouble(), m.maxDegradation()));
            }
        }
        return new Check(m.name(), query, v, threshold(m), samples, Verdict.PASS, null);
    }

    /**
     * How much worse the candidate is than stable, in maxDegradation's unit: percentage points
     * lower for the success rate; percentage points apart either way for decision agreement
     * (deciding differently is the fault, not the direction); percent higher otherwise (P99).
     */
    static double degradation(String check, double candidate, double stable) {
        return switch (check) {
            case REQUEST_SUCCESS_RATE -> stable - candidate;
            case DECISION_AGREEMENT -> Math.abs(candidate - stable);
            default -> stable == 0 ? 0 : 100 * (candidate - stable) / stable;
        };
    }

    /** An SLI recording rule by name: its largest series; no series at all is no-data. */
    private Check recordingRule(Canary.Metric m) {
        String query = "max(" + m.name() + ")";
        int series = prometheus.series(m.name());
        OptionalDouble value = prometheus.value(query);
        int minSamples = m.minSamples() == null ? 1 : m.minSamples();
        if (value.isEmpty() || series < minSamples) {
            return new Check(m.name(), query, null, threshold(m), series, Verdict.NO_DATA, "the rule has no series");
        }
        String outside = outside(m, value.getAsDouble());
        return new Check(
                m.name(),
                query,
                value.getAsDouble(),
                threshold(m),
                series,
                outside == null ? Verdict.PASS : Verdict.FAIL,
                outside);
    }

    private static String outside(Canary.Metric m, double v) {
        if (m.min() != null && v < m.min()) {
            return "below min " + m.min();
        }
        if (m.max() != null && v > m.max()) {
            return "above max " + m.max();
        }
        return null;
    }

    static String threshold(Canary.Metric m) {
        List<String> parts = new ArrayList<>();
        if (m.min() != null) {
            parts.add("min " + m.min());
        }
        if (m.max() != null) {
            parts.add("max " + m.max());
        }
        if (m.maxDegradation() != null) {
            parts.add("maxDegradation " + m.maxDegradation());
        }
        return String.join(", ", parts);
    }

    /**
     * The decision for one run of the checks, given the failures counted so far: a failed check
     * (or no-data under noData: fail) counts one; at threshold it is a rollback, before it a
     * hold. No-data under noData: hold holds. Only all-pass advances.
     */
    public static Decision decide(List<Check> checks, Canary.Analysis a, int failuresSoFar) {
        boolean failed = checks.stream().anyMatch(c -> c.verdict() == Verdict.FAIL)
                || a.noDataOrDefault() == Canary.NoData.fail
                        && checks.stream().anyMatch(c -> c.verdict() == Verdict.NO_DATA);
        if (failed) {
            return failuresSoFar + 1 >= a.threshold() ? Decision.ROLLBACK : Decision.HOLD;
        }
        if (checks.stream().anyMatch(c -> c.verdict() == Verdict.NO_DATA || c.verdict() == Verdict.ERROR)) {
            return Decision.HOLD;
        }
        return Decision.ADVANCE;
    }

    /** Why Prometheus could not be queried, when it could not for some check: a hold that counts toward nothing. */
    public static Optional<String> unreachable(List<Check> checks) {
        return checks.stream()
                .filter(c -> c.verdict() == Verdict.ERROR)
                .map(Check::reason)
                .findFirst();
    }

    /** Whether this run counts as a failure toward the threshold. */
    public static boolean counts(List<Check> checks, Canary.Analysis a) {
        return checks.stream().anyMatch(c -> c.verdict() == Verdict.FAIL)
                || a.noDataOrDefault() == Canary.NoData.fail
                        && checks.stream().anyMatch(c -> c.verdict() == Verdict.NO_DATA);
    }
}
