package io.meshdesk.routing.audit;

import java.util.List;

/** The audit's findings at one etcd revision; {@code violations} is empty when every invariant holds. */
public record AuditReport(
        long revision, int queued, int assigned, int closed, int agents, int loads, List<String> violations) {

    public boolean clean() {
        return violations.isEmpty();
    }
}
