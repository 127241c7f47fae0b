package io.meshdesk.meshconfig.canary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Where one rollout stands in one region, as the cluster keeps it (ConfigMap canary-<function>):
 * never in the Git-managed canary file. {@code step} 0 is the mirror phase; after the last step
 * comes promotion. The decision log keeps the last {@value #LOG_SIZE} decisions.
 */
public record Progress(
        String function,
        String region,
        String canaryVersion,
        Status status,
        int step,
        int failures,
        boolean paused,
        String stableRevision,
        String candidateRevision,
        Instant stepStartedAt,
        Instant holdingSince,
        List<LogEntry> log) {

    public static final int LOG_SIZE = 100;

    public enum Status {
        progressing,
        promoted,
        rolledBack,
        aborted
    }

    /** One decision with the checks it was made on. */
    public record LogEntry(Instant at, int step, int weight, Decision decision, String reason, List<Check> checks) {}

    @JsonIgnore
    public boolean finished() {
        return status != Status.progressing;
    }

    public Progress with(Status s, int newStep, int newFailures, Instant started, Instant holding) {
        return changed(s, newStep, newFailures, paused, started, holding, log);
    }

    public Progress paused(boolean p) {
        return changed(status, step, failures, p, stepStartedAt, holdingSince, log);
    }

    public Progress logged(LogEntry entry) {
        List<LogEntry> l = new ArrayList<>(log == null ? List.of() : log);
        l.add(entry);
        while (l.size() > LOG_SIZE) {
            l.remove(0);
        }
        return changed(status, step, failures, paused, stepStartedAt, holdingSince, l);
    }

    /** The same rollout (function, region, versions, revisions) with its moving parts changed. */
    private Progress changed(
            Status s, int newStep, int newFailures, boolean p, Instant started, Instant holding, List<LogEntry> l) {
        return new Progress(
                function,
                region,
                canaryVersion,
                s,
                newStep,
                newFailures,
                p,
                stableRevision,
                candidateRevision,
                started,
                holding,
                l);
    }
}
