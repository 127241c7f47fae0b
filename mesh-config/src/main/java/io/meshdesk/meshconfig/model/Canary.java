package io.meshdesk.meshconfig.model;

import java.util.List;

/** mesh-config/canaries/<rollout>.yaml: one rollout of a function's new version, Flagger style. */
public record Canary(String file, String function, List<String> regions, String stableVersion, String canaryVersion,
        Analysis analysis, int step) {

    public record Analysis(String interval, int threshold, int stepWeight, int maxWeight, int mirrorPercentage,
            List<Metric> metrics) {
    }

    /** A metric check: the canary fails the step when the value leaves [min, max]. */
    public record Metric(String name, Double min, Double max) {
    }

    /** The weight of the canary at the current step. */
    public int weight() {
        return Math.min(step * analysis.stepWeight(), analysis.maxWeight());
    }

    public boolean covers(String region) {
        return regions.contains(region);
    }
}
