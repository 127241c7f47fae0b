package io.meshdesk.session.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

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

    // Routing's transitions: how a session moves between queued, assigned and closed.

    /** Assigned to the agent now; an earlier close (a re-opened session) is forgotten. */
    public SessionRecord assignedTo(String agent, Instant now) {
        return change(d -> {
            d.state = SessionState.ASSIGNED;
            d.agentId = agent;
            d.assignedAt = now;
            d.closedAt = null;
            d.outcome = null;
        });
    }

    /** Back in the queue after its agent left: same enqueue time, so it keeps its place in line. */
    public SessionRecord requeued() {
        return change(d -> {
            d.preferredAgentId = null;
            d.preferredUntil = null;
            d.state = SessionState.QUEUED;
            d.agentId = null;
            d.assignedAt = null;
            d.closedAt = null;
            d.outcome = null;
            d.requeues = requeues + 1;
        });
    }

    /** Closed now with this outcome ({@link #closed()} says whether a session is). */
    public SessionRecord closedAs(Outcome how, Instant now) {
        return change(d -> {
            d.state = SessionState.CLOSED;
            d.closedAt = now;
            d.outcome = how;
        });
    }

    /** Premium, or a standard session that has waited long enough to be served with premium. */
    public boolean servedAsPremium(Instant now, Duration agingAfter) {
        return priority == Priority.PREMIUM || !enqueuedAt.plus(agingAfter).isAfter(now);
    }

    /** While true, only the preferred agent may take this session. */
    public boolean waitsForPreferred(Instant now) {
        return preferredAgentId != null && preferredUntil != null && now.isBefore(preferredUntil);
    }

    // Withers: a change of one field is one call, never a rebuild that names all seventeen.

    public SessionRecord withRegion(String value) {
        return change(d -> d.region = value);
    }

    public SessionRecord withCustomerId(String value) {
        return change(d -> d.customerId = value);
    }

    public SessionRecord withChannel(Channel value) {
        return change(d -> d.channel = value);
    }

    public SessionRecord withLanguage(String value) {
        return change(d -> d.language = value);
    }

    public SessionRecord withSkills(Map<String, Integer> value) {
        return change(d -> d.skills = value);
    }

    public SessionRecord withPriority(Priority value) {
        return change(d -> d.priority = value);
    }

    public SessionRecord withPreferredAgentId(String value) {
        return change(d -> d.preferredAgentId = value);
    }

    public SessionRecord withPreferredUntil(Instant value) {
        return change(d -> d.preferredUntil = value);
    }

    public SessionRecord withCost(int value) {
        return change(d -> d.cost = value);
    }

    public SessionRecord withState(SessionState value) {
        return change(d -> d.state = value);
    }

    public SessionRecord withAgentId(String value) {
        return change(d -> d.agentId = value);
    }

    public SessionRecord withEnqueuedAt(Instant value) {
        return change(d -> d.enqueuedAt = value);
    }

    public SessionRecord withAssignedAt(Instant value) {
        return change(d -> d.assignedAt = value);
    }

    public SessionRecord withClosedAt(Instant value) {
        return change(d -> d.closedAt = value);
    }

    public SessionRecord withOutcome(Outcome value) {
        return change(d -> d.outcome = value);
    }

    public SessionRecord withRequeues(int value) {
        return change(d -> d.requeues = value);
    }

    /** The preferred agent and how long the session waits for it (both null: no preference). */
    public SessionRecord withPreference(String agent, Instant until) {
        return change(d -> {
            d.preferredAgentId = agent;
            d.preferredUntil = until;
        });
    }

    private SessionRecord change(Consumer<Draft> how) {
        Draft draft = new Draft(this);
        how.accept(draft);
        return draft.record();
    }

    /** The fields of a record being changed: the one place that lists them all for a copy. */
    private static final class Draft {
        String sessionId;
        String region;
        String customerId;
        Channel channel;
        String language;
        Map<String, Integer> skills;
        Priority priority;
        String preferredAgentId;
        Instant preferredUntil;
        int cost;
        SessionState state;
        String agentId;
        Instant enqueuedAt;
        Instant assignedAt;
        Instant closedAt;
        Outcome outcome;
        int requeues;

        Draft(SessionRecord r) {
            sessionId = r.sessionId;
            region = r.region;
            customerId = r.customerId;
            channel = r.channel;
            language = r.language;
            skills = r.skills;
            priority = r.priority;
            preferredAgentId = r.preferredAgentId;
            preferredUntil = r.preferredUntil;
            cost = r.cost;
            state = r.state;
            agentId = r.agentId;
            enqueuedAt = r.enqueuedAt;
            assignedAt = r.assignedAt;
            closedAt = r.closedAt;
            outcome = r.outcome;
            requeues = r.requeues;
        }

        SessionRecord record() {
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
                    requeues);
        }
    }
}
