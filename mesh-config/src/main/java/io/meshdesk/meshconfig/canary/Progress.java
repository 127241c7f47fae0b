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
        return new Progress(
                function,
                region,
                canaryVersion,
                s,
                newStep,
                newFailures,
                paused,
                stableRevision,
                candidateRevision,
                started,
                holding,
                log);
    }

    public Progress paused(boolean p) {
        return new Progress(
                function,
                region,
                canaryVersion,
                status,
                step,
                failures,
                p,
                stableRevision,
                candidateRevision,
                stepStartedAt,
                holdingSince,
                log);
    }

    public Progress logged(LogEntry entry) {
        List<LogEntry> l = new ArrayList<>(log == null ? List.of() : log);
        l.add(entry);
        while (l.size() > LOG_SIZE) {
            l.remove(0);
        }
        return new Progress(
                function,
                region,
                canaryVersion,
                status,
                step,
                failures,
                paused,
                stableRevision,
                candidateRevision,
                stepStartedAt,
                holdingSince,
                l);
    }
}
