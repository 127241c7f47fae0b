package io.meshdesk.ticketing.transcript;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.problem.Problem;
import io.meshdesk.session.contract.ContractJson;
import io.meshdesk.session.contract.ContractViolation;
import io.meshdesk.session.contract.Outcome;
import io.meshdesk.session.contract.Priority;
import io.meshdesk.session.contract.SessionRecord;
import io.meshdesk.ticketing.lifecycle.TicketDesk;
import io.meshdesk.ticketing.storage.Database;
import io.meshdesk.ticketing.storage.TicketStore;
import io.meshdesk.ticketing.ticket.Requests;
import io.meshdesk.ticketing.ticket.Ticket;
import io.meshdesk.ticketing.ticket.TicketPriority;

/**
 * What ticketing does with the events of other functions: an unresolved chat session becomes a
 * ticket, a transcript is archived. Each event is handled once: its id is recorded in the same
 * transaction as its effect, so a redelivered event changes nothing.
 */
public final class SessionEventHandlers {

    private static final Logger LOG = Logger.getLogger(SessionEventHandlers.class);

    private final Database db;
    private final TicketDesk desk;
    private final Clock clock;

    public SessionEventHandlers(Database db, TicketDesk desk, Clock clock) {
        this.db = db;
        this.desk = desk;
        this.clock = clock;
    }

    /** Handles {@code meshdesk.session.closed}; returns the ticket it created, or null. */
    public Ticket sessionClosed(String eventId, JsonNode data) {
        String sessionId = text(data, "sessionId");
        SessionRecord session = read(() -> ContractJson.readSession(data));
        if (session.outcome() != Outcome.UNRESOLVED) {
            return null;
        }
        String customerId = text(data, "customerId");
        TicketDesk.Created created = db.inTransaction("handling the close of session " + sessionId, c -> {
            if (!firstTime(c, eventId, "meshdesk.session.closed")) {
                return null;
            }
            TicketPriority priority =
                    session.priority() == Priority.PREMIUM ? TicketPriority.HIGH : TicketPriority.NORMAL;
            return desk.create(
                    c,
                    new Requests.Create(
                            customerId,
                            "Unresolved " + session.channel() + " session " + sessionId,
                            "The customer's session " + sessionId + " ended unresolved"
                                    + (session.agentId() != null ? " with agent " + session.agentId() : "")
                                    + "; the transcript is attached when chat hands it over.",
                            "support",
                            priority,
                            session.channel().toString(),
                            sessionId,
                            "session:" + sessionId),
                    "routing");
        });
        if (created == null) {
            LOG.infof("event %s was handled before; nothing to do", eventId);
            return null;
        }
        return created.ticket();
    }

    /** Handles {@code meshdesk.transcript.ready}: stores the transcript, linked to the session's ticket. */
    public void transcriptReady(String eventId, JsonNode data) {
        String sessionId = text(data, "sessionId");
        // Stored as the contract writes it: every archived transcript has the same fields (a
        // missing channel is the contract's default, which the rating's channel label reads).
        String transcript =
                new String(ContractJson.write(read(() -> ContractJson.readTranscript(data))), StandardCharsets.UTF_8);
        db.inTransaction("archiving the transcript of session " + sessionId, c -> {
            if (!firstTime(c, eventId, "meshdesk.transcript.ready")) {
                return null;
            }
            Ticket ticket = new TicketStore().findBySession(c, sessionId);
            try (PreparedStatement s = c.prepareStatement("insert into transcript (session_id, ticket_id, received_at, "
                    + "body) values (?, ?, ?, ?::jsonb) on conflict (session_id) do update set "
                    + "ticket_id = excluded.ticket_id, received_at = excluded.received_at, body = excluded.body")) {
                s.setString(1, sessionId);
                s.setObject(2, ticket == null ? null : ticket.ticketId());
                s.setTimestamp(3, Timestamp.from(clock.instant()));
                s.setString(4, transcript);
                s.executeUpdate();
            }
            LOG.infof(
                    "transcript of session %s archived%s",
                    sessionId, ticket == null ? "" : " with ticket " + ticket.ticketId());
            return null;
        });
    }

    private boolean firstTime(Connection c, String eventId, String type) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into processed_event (event_id, type, processed_at) "
                + "values (?, ?, ?) on conflict (event_id) do nothing")) {
            s.setString(1, eventId);
            s.setString(2, type);
            s.setTimestamp(3, Timestamp.from(clock.instant()));
            return s.executeUpdate() == 1;
        }
    }

    /** The event data read through the contract; what does not follow it is a 400 naming the field. */
    private static <T> T read(Supplier<T> reading) {
        try {
            return reading.get();
        } catch (ContractViolation e) {
            throw Problem.invalid(e.field(), "the event data does not follow the contract: " + e.getMessage());
        }
    }

    /** Longest id an event may carry: ids are indexed, and PostgreSQL refuses an index row over ~2.7 kB. */
    static final int MAX_ID = 128;

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw Problem.badRequest("the event data must be a JSON object");
        }
        if (!node.hasNonNull(field)
                || !node.get(field).isTextual()
                || node.get(field).asText().isBlank()) {
            throw Problem.invalid(field, "the event data has no '" + field + "' string");
        }
        String value = node.get(field).asText();
        if (value.length() > MAX_ID) {
            throw Problem.invalid(
                    field, "'" + field + "' of the event is " + value.length() + " characters; at most " + MAX_ID);
        }
        return value;
    }
}
