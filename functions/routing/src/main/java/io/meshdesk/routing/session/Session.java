package io.meshdesk.routing.session;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import io.meshdesk.session.contract.ContractJson;
import io.meshdesk.session.contract.SessionRecord;

/**
 * A customer session as stored at {@code /meshdesk/sessions/<sessionId>} and sent as the data of
 * the {@code meshdesk.session.*} events. Chat and ticketing read it, so its JSON is the session
 * contract's ({@link SessionRecord}, {@link ContractJson}): whichever mapper writes a Session
 * (routing's values in etcd, the event sink's data) writes it through the contract, and reading
 * one is as strict as the contract is.
 */
@JsonSerialize(using = Session.AsContract.class)
@JsonDeserialize(using = Session.FromContract.class)
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
        return change(s -> s.withState(io.meshdesk.session.contract.SessionState.ASSIGNED)
                .withAgentId(agent)
                .withAssignedAt(now)
                .withClosedAt(null)
                .withOutcome(null));
    }

    /** Back in the queue after its agent left: same enqueue time, so it keeps its place in line. */
    public Session requeued() {
        return change(s -> s.withPreference(null, null)
                .withState(io.meshdesk.session.contract.SessionState.QUEUED)
                .withAgentId(null)
                .withAssignedAt(null)
                .withClosedAt(null)
                .withOutcome(null)
                .withRequeues(requeues + 1));
    }

    public Session closed(Outcome how, Instant now) {
        return change(s -> s.withState(io.meshdesk.session.contract.SessionState.CLOSED)
                .withClosedAt(now)
                .withOutcome(as(io.meshdesk.session.contract.Outcome.class, how)));
    }

    /** The same session waiting for its preferred agent until then. */
    public Session withPreferredUntil(Instant until) {
        return change(s -> s.withPreferredUntil(until));
    }

    /** Premium, or a standard session that has waited long enough to be served with premium. */
    public boolean servedAsPremium(Instant now, Duration agingAfter) {
        return priority == Priority.PREMIUM || !enqueuedAt.plus(agingAfter).isAfter(now);
    }

    /** While true, only the preferred agent may take this session. */
    public boolean waitsForPreferred(Instant now) {
        return preferredAgentId != null && preferredUntil != null && now.isBefore(preferredUntil);
    }

    /** This session as the contract record chat and ticketing read. */
    public SessionRecord toRecord() {
        return new SessionRecord(
                sessionId,
                region,
                customerId,
                as(io.meshdesk.session.contract.Channel.class, channel),
                language,
                skills,
                as(io.meshdesk.session.contract.Priority.class, priority),
                preferredAgentId,
                preferredUntil,
                cost,
                as(io.meshdesk.session.contract.SessionState.class, state),
                agentId,
                enqueuedAt,
                assignedAt,
                closedAt,
                as(io.meshdesk.session.contract.Outcome.class, outcome),
                requeues);
    }

    public static Session of(SessionRecord r) {
        return new Session(
                r.sessionId(),
                r.region(),
                r.customerId(),
                as(Channel.class, r.channel()),
                r.language(),
                r.skills(),
                as(Priority.class, r.priority()),
                r.preferredAgentId(),
                r.preferredUntil(),
                r.cost(),
                as(SessionState.class, r.state()),
                r.agentId(),
                r.enqueuedAt(),
                r.assignedAt(),
                r.closedAt(),
                as(Outcome.class, r.outcome()),
                r.requeues());
    }

    /** A change of some fields, made with the contract record's withers. */
    private Session change(UnaryOperator<SessionRecord> how) {
        return of(how.apply(toRecord()));
    }

    /**
     * Routing's enums and the contract's have the same constants (a test holds them together), so
     * one maps to the other by name; routing keeps its own because its features import them.
     */
    private static <E extends Enum<E>> E as(Class<E> type, Enum<?> value) {
        return value == null ? null : Enum.valueOf(type, value.name());
    }

    static final class AsContract extends StdSerializer<Session> {
        AsContract() {
            super(Session.class);
        }

        @Override
        public void serialize(Session session, JsonGenerator into, SerializerProvider provider) throws IOException {
            ContractJson.write(session.toRecord(), into);
        }
    }

    static final class FromContract extends StdDeserializer<Session> {
        FromContract() {
            super(Session.class);
        }

        @Override
        public Session deserialize(JsonParser from, DeserializationContext context) {
            return of(ContractJson.readSession(from));
        }
    }
}
