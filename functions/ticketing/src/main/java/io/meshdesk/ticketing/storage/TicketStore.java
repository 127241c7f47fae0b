package io.meshdesk.ticketing.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.meshdesk.problem.Problem;
import io.meshdesk.ticketing.ticket.AuthorRole;
import io.meshdesk.ticketing.ticket.Ticket;
import io.meshdesk.ticketing.ticket.TicketPriority;
import io.meshdesk.ticketing.ticket.TicketStatus;

/** The SQL of tickets, their history and comments. Callers hold the transaction. */
public final class TicketStore {

    /** The tenant of tickets opened by callers whose token names none (the column's default too). */
    public static final String DEFAULT_TENANT = "default";

    static final String COLUMNS = "id, customer_id, subject, description, queue, priority, channel, session_id, "
            + "status, assignee, version, created_at, updated_at, first_response_due, resolution_due, "
            + "first_response_at, resolved_at, first_response_breached, resolution_breached, csat_score, csat_comment";

    public void insert(Connection c, Ticket t, String idempotencyKey, String tenant) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into ticket (" + COLUMNS + ", idempotency_key, tenant) "
                + "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            int i = 1;
            s.setObject(i++, t.ticketId());
            s.setString(i++, t.customerId());
            s.setString(i++, t.subject());
            s.setString(i++, t.description());
            s.setString(i++, t.queue());
            s.setString(i++, t.priority().toString());
            s.setString(i++, t.channel());
            s.setString(i++, t.sessionId());
            s.setString(i++, t.status().toString());
            s.setString(i++, t.assignee());
            s.setInt(i++, t.version());
            s.setTimestamp(i++, ts(t.createdAt()));
            s.setTimestamp(i++, ts(t.updatedAt()));
            s.setTimestamp(i++, ts(t.sla().firstResponseDue()));
            s.setTimestamp(i++, ts(t.sla().resolutionDue()));
            s.setTimestamp(i++, null);
            s.setTimestamp(i++, null);
            s.setBoolean(i++, false);
            s.setBoolean(i++, false);
            s.setObject(i++, null);
            s.setString(i++, null);
            s.setString(i++, idempotencyKey);
            s.setString(i, tenant);
            s.executeUpdate();
        }
    }

    /** Whose a ticket is: its customer and its tenant (neither ever changes). */
    public record Owner(String customerId, String tenant) {}

    public Owner owner(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select customer_id, tenant from ticket where id = ?")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new Owner(r.getString(1), r.getString(2)) : null;
            }
        }
    }

    public Ticket find(Connection c, UUID id, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select " + COLUMNS + " from ticket where id = ?" + (forUpdate ? " for update" : ""))) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? read(r) : null;
            }
        }
    }

    public Ticket findByIdempotencyKey(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from ticket where idempotency_key = ?")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? read(r) : null;
            }
        }
    }

    public Ticket findBySession(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select " + COLUMNS + " from ticket where session_id = ? order by created_at desc limit 1")) {
            s.setString(1, sessionId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? read(r) : null;
            }
        }
    }

    /**
     * Writes the next version of a ticket and records its changes, in the caller's transaction: the
     * one way every change (the desk's, the SLA monitor's) is saved. A 409 when the ticket is no
     * longer at {@code expectedVersion} (someone changed it first; nothing is written).
     */
    public void revise(Connection c, Ticket next, int expectedVersion, List<Ticket.Change> changes)
            throws SQLException {
        if (!update(c, next, expectedVersion)) {
            throw Problem.conflict("ticket " + next.ticketId() + " changed while it was being updated; read it again");
        }
        for (Ticket.Change change : changes) {
            record(c, next.ticketId(), change);
        }
    }

    /**
     * Writes the ticket's mutable fields if its version is still the expected one, and bumps the
     * version. False when someone else changed it first.
     */
    private boolean update(Connection c, Ticket t, int expectedVersion) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update ticket set status = ?, assignee = ?, priority = ?, "
                + "queue = ?, version = version + 1, updated_at = ?, first_response_due = ?, resolution_due = ?, "
                + "first_response_at = ?, resolved_at = ?, closed_at = case when ? = 'closed' then ? else closed_at end, "
                + "first_response_breached = ?, resolution_breached = ?, csat_score = ?, csat_comment = ? "
                + "where id = ? and version = ?")) {
            int i = 1;
            s.setString(i++, t.status().toString());
            s.setString(i++, t.assignee());
            s.setString(i++, t.priority().toString());
            s.setString(i++, t.queue());
            s.setTimestamp(i++, ts(t.updatedAt()));
            s.setTimestamp(i++, ts(t.sla().firstResponseDue()));
            s.setTimestamp(i++, ts(t.sla().resolutionDue()));
            s.setTimestamp(i++, ts(t.sla().firstResponseAt()));
            s.setTimestamp(i++, ts(t.sla().resolvedAt()));
            s.setString(i++, t.status().toString());
            s.setTimestamp(i++, ts(t.updatedAt()));
            s.setBoolean(i++, t.sla().firstResponseBreached());
            s.setBoolean(i++, t.sla().resolutionBreached());
            s.setObject(i++, t.satisfaction() == null ? null : t.satisfaction().score());
            s.setString(i++, t.satisfaction() == null ? null : t.satisfaction().comment());
            s.setObject(i++, t.ticketId());
            s.setInt(i, expectedVersion);
            return s.executeUpdate() == 1;
        }
    }

    public void record(Connection c, UUID ticket, Ticket.Change change) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "insert into ticket_history (ticket_id, at, actor, field, from_value, to_value) values (?,?,?,?,?,?)")) {
            s.setObject(1, ticket);
            s.setTimestamp(2, ts(change.at()));
            s.setString(3, change.actor());
            s.setString(4, change.field());
            s.setString(5, change.from());
            s.setString(6, change.to());
            s.executeUpdate();
        }
    }

    public List<Ticket.Change> history(Connection c, UUID ticket) throws SQLException {
        List<Ticket.Change> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select at, actor, field, from_value, to_value from "
                + "ticket_history where ticket_id = ? order by id")) {
            s.setObject(1, ticket);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Ticket.Change(
                            r.getTimestamp(1).toInstant(),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5)));
                }
            }
        }
        return out;
    }

    public void comment(Connection c, UUID ticket, Ticket.Comment comment) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into ticket_comment (ticket_id, author, author_role, "
                + "body, internal, created_at) values (?,?,?,?,?,?)")) {
            s.setObject(1, ticket);
            s.setString(2, comment.author());
            s.setString(3, comment.authorRole().toString());
            s.setString(4, comment.body());
            s.setBoolean(5, comment.internal());
            s.setTimestamp(6, ts(comment.at()));
            s.executeUpdate();
        }
    }

    public List<Ticket.Comment> comments(Connection c, UUID ticket) throws SQLException {
        List<Ticket.Comment> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select created_at, author, author_role, body, internal from "
                + "ticket_comment where ticket_id = ? order by id")) {
            s.setObject(1, ticket);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Ticket.Comment(
                            r.getTimestamp(1).toInstant(),
                            r.getString(2),
                            AuthorRole.parse(r.getString(3)),
                            r.getString(4),
                            r.getBoolean(5)));
                }
            }
        }
        return out;
    }

    static Ticket read(ResultSet r) throws SQLException {
        Integer score = (Integer) r.getObject("csat_score");
        return new Ticket(
                (UUID) r.getObject("id"),
                r.getString("customer_id"),
                r.getString("subject"),
                r.getString("description"),
                r.getString("queue"),
                TicketPriority.parse(r.getString("priority")),
                r.getString("channel"),
                r.getString("session_id"),
                TicketStatus.parse(r.getString("status")),
                r.getString("assignee"),
                r.getInt("version"),
                instant(r, "created_at"),
                instant(r, "updated_at"),
                new Ticket.Sla(
                        instant(r, "first_response_due"),
                        instant(r, "resolution_due"),
                        instant(r, "first_response_at"),
                        instant(r, "resolved_at"),
                        r.getBoolean("first_response_breached"),
                        r.getBoolean("resolution_breached")),
                score == null ? null : new Ticket.Satisfaction(score, r.getString("csat_comment")),
                null,
                null);
    }

    static Instant instant(ResultSet r, String column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
