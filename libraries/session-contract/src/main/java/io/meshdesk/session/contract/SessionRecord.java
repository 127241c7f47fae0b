package io.meshdesk.session.contract;

import java.time.Instant;
import java.util.Map;

/**
 * A customer session as routing stores it at {@code /meshdesk/sessions/<sessionId>} and sends it
 * as the data of {@code meshdesk.session.queued}, {@code .assigned}, {@code .requeued} and
 * {@code .closed}. Routing writes it; chat and ticketing read it, all through {@link ContractJson}.
 *
 * <p>{@code sessionId} and {@code state} are required; a missing {@code channel} is
 * {@link Channel#WHEN_MISSING}; every other field may be absent (null, or 0 for the numbers).
 * The components are in the order routing has always written them: the stored JSON keeps its
 * bytes.
 */
public record SessionRecord(
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

    public SessionRecord {
        ContractViolation.require("sessionId", sessionId);
        ContractViolation.require("state", state);
        channel = channel == null ? Channel.WHEN_MISSING : channel;
    }

    public boolean closed() {
        return state == SessionState.CLOSED;
    }

    // Withers: a change of one field is one call, never a rebuild that names all seventeen.

    public SessionRecord withChannel(Channel value) {
        return new SessionRecord(
                sessionId,
                region,
                customerId,
                value,
                language,
                skills,
                priority,
                preferredAgentId,
                preferredUntil,
                cost,
                state,
                agentId,
                enqueuedAt,
                assignedAt,
                closedAt,
                outcome,
                requeues);
    }

    public SessionRecord withPriority(Priority value) {
        return new SessionRecord(
                sessionId,
                region,
                customerId,
                channel,
                language,
                skills,
                value,
                preferredAgentId,
                preferredUntil,
                cost,
                state,
                agentId,
                enqueuedAt,
                assignedAt,
                closedAt,
                outcome,
                requeues);
    }

    /** The preferred agent and how long the session waits for it (both null: no preference). */
    public SessionRecord withPreference(String agent, Instant until) {
        return new SessionRecord(
                sessionId,
                region,
                customerId,
                channel,
                language,
                skills,
                priority,
                agent,
                until,
                cost,
                state,
                agentId,
                enqueuedAt,
                assignedAt,
                closedAt,
                outcome,
                requeues);
    }

    public SessionRecord withPreferredUntil(Instant value) {
        return withPreference(preferredAgentId, value);
    }

    public SessionRecord withCost(int value) {
        return new SessionRecord(
                sessionId,
                region,
                customerId,
                channel,
                language,
                skills,
                priority,
                preferredAgentId,
                preferredUntil,
                value,
                state,
                agentId,
                enqueuedAt,
                assignedAt,
                closedAt,
                outcome,
                requeues);
    }

    public SessionRecord withState(SessionState value) {
        return new SessionRecord(
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
                value,
                agentId,
                enqueuedAt,
                assignedAt,
                closedAt,
                outcome,
                requeues);
    }

    public SessionRecord withAgentId(String value) {
        return new SessionRecord(
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
                state,
                value,
                enqueuedAt,
                assignedAt,
                closedAt,
                outcome,
                requeues);
    }

    public SessionRecord withEnqueuedAt(Instant value) {
        return new SessionRecord(
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
                state,
                agentId,
                value,
                assignedAt,
                closedAt,
                outcome,
                requeues);
    }

    public SessionRecord withAssignedAt(Instant value) {
        return new SessionRecord(
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
                state,
                agentId,
                enqueuedAt,
                value,
                closedAt,
                outcome,
                requeues);
    }

    public SessionRecord withClosedAt(Instant value) {
        return new SessionRecord(
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
                state,
                agentId,
                enqueuedAt,
                assignedAt,
                value,
                outcome,
                requeues);
    }

    public SessionRecord withOutcome(Outcome value) {
        return new SessionRecord(
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
                state,
                agentId,
                enqueuedAt,
                assignedAt,
                closedAt,
                value,
                requeues);
    }

    public SessionRecord withRequeues(int value) {
        return new SessionRecord(
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
                state,
                agentId,
                enqueuedAt,
                assignedAt,
                closedAt,
                outcome,
                value);
    }
}
