package io.meshdesk.routing.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A customer session as stored at {@code /meshdesk/sessions/<sessionId>}. Other tools read it:
 * {@code sessionId}, {@code state}, {@code agentId}, {@code channel}, {@code priority},
 * {@code enqueuedAt} and {@code assignedAt} are a contract.
 */
public record Session(
        String sessionId,
        String region,
        String customerId,
        Channel channel,
        String language,
        Map<String, Integer> skills,
        Priority priority,
        String preferredAgentId,
        Instant preferredUntil,
        int cost,
        SessionState state,
        String agentId,
        Instant enqueuedAt,
        Instant assignedAt,
        Instant closedAt,
        Outcome outcome,
        int requeues) {

    public Session assignedTo(String agent, Instant now) {
        return new Session(
                sessionId,
                region,
                customerId,
                channel,
                language,
                skills,
                priority,
                preferredAgentId,
                preferredUntil,
                cost,
                SessionState.ASSIGNED,
                agent,
                enqueuedAt,
                now,
                null,
                null,
                requeues);
    }

    /** Back in the queue after its agent left: same enqueue time, so it keeps its place in line. */
    public Session requeued() {
        return new Session(
                sessionId,
                region,
                customerId,
                channel,
                language,
                skills,
                priority,
                null,
                null,
                cost,
                SessionState.QUEUED,
                null,
                enqueuedAt,
                null,
                null,
                null,
                requeues + 1);
    }

    public Session closed(Outcome how, Instant now) {
        return new Session(
                sessionId,
                region,
                customerId,
                channel,
                language,
                skills,
                priority,
                preferredAgentId,
                preferredUntil,
                cost,
                SessionState.CLOSED,
                agentId,
                enqueuedAt,
                assignedAt,
                now,
                how,
                requeues);
    }

    /** Premium, or a standard session that has waited long enough to be served with premium. */
    public boolean servedAsPremium(Instant now, Duration agingAfter) {
        return priority == Priority.PREMIUM || !enqueuedAt.plus(agingAfter).isAfter(now);
    }

    /** While true, only the preferred agent may take this session. */
    public boolean waitsForPreferred(Instant now) {
        return preferredAgentId != null && preferredUntil != null && now.isBefore(preferredUntil);
    }
}
