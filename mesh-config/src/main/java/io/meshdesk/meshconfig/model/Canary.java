package io.meshdesk.meshconfig.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * mesh-config/canaries/<rollout>.yaml: one rollout of a function's new version, Flagger style.
 * The file is the plan; where the rollout stands lives in the cluster (the canary controller's
 * ConfigMap), and {@code step} is only where a rollout starts when the cluster says nothing.
 */
public record Canary(
        String file,
        String function,
        List<String> regions,
        String stableVersion,
        String canaryVersion,
        Analysis analysis,
        int step) {

    public record Analysis(
            String interval,
            int threshold,
            Integer stepWeight,
            List<Integer> stepWeights,
            Integer maxWeight,
            int mirrorPercentage,
            Source source,
            NoData noData,
            String progressDeadline,
            FailureCounting failureCounting,
            List<Metric> metrics,
            List<Webhook> webhooks) {

        public Source sourceOrDefault() {
            return source == null ? Source.functions : source;
        }

        public NoData noDataOrDefault() {
            return noData == null ? NoData.hold : noData;
        }

        public FailureCounting failureCountingOrDefault() {
            return failureCounting == null ? FailureCounting.cumulative : failureCounting;
        }

        public List<Metric> checks() {
            return metrics == null ? List.of() : metrics;
        }

        public List<Webhook> hooks() {
            return webhooks == null ? List.of() : webhooks;
        }
    }

    /** Where the built-in checks read requests from: Envoy's istio_* metrics, or the functions' own. */
    public enum Source {
        istio,
        functions
    }

    /** What a check without enough requests does: hold the weights (and run the load webhook), or fail. */
    public enum NoData {
        hold,
        fail
    }

    /** Whether failed checks count toward the threshold over the whole rollout, or only in a row. */
    public enum FailureCounting {
        cumulative,
        consecutive
    }

    /**
     * A check: fails when the value leaves [min, max], or when the candidate is worse than the
     * stable revision by more than maxDegradation (percentage points of success rate, or
     * percent of P99); below minSamples requests in the interval it is no-data, never pass.
     */
    public record Metric(String name, Double min, Double max, Integer minSamples, Double maxDegradation) {}

    public enum WebhookType {
        preRollout,
        confirmPromotion
    }

    /** An HTTP call the controller makes; a non-2xx answer or no answer within timeout is a failure. */
    public record Webhook(String name, WebhookType type, String url, String timeout, Map<String, String> metadata) {}

    /** The weight of each step, in order: stepWeights as given, or stepWeight, 2 × stepWeight, ... up to maxWeight. */
    public List<Integer> weights() {
        if (analysis.stepWeights() != null && !analysis.stepWeights().isEmpty()) {
            return List.copyOf(analysis.stepWeights());
        }
        List<Integer> out = new ArrayList<>();
        int max = analysis.maxWeight();
        for (int w = analysis.stepWeight(); w < max; w += analysis.stepWeight()) {
            out.add(w);
        }
        out.add(max);
        return out;
    }

    /** Whether the rollout starts with a mirror phase (step 0) before any live weight moves. */
    public boolean mirrors() {
        return analysis.mirrorPercentage() > 0;
    }

    /** The candidate's live weight at a step: 0 at step 0, then each step's weight (the last one past the end). */
    public int weight(int atStep) {
        if (atStep <= 0) {
            return 0;
        }
        List<Integer> w = weights();
        return w.get(Math.min(atStep, w.size()) - 1);
    }

    /** The weight at the file's step, what render writes before a controller takes over. */
    public int weight() {
        return weight(step);
    }

    public boolean covers(String region) {
        return regions.contains(region);
    }
}
