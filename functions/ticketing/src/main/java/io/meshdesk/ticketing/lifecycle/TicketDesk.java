package io.meshdesk.ticketing.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.meshdesk.problem.Problem;
import io.meshdesk.telemetry.LogFields;
import io.meshdesk.ticketing.metrics.TicketMetrics;
import io.meshdesk.ticketing.sla.SlaPolicy;
import io.meshdesk.ticketing.storage.Database;
import io.meshdesk.ticketing.storage.TicketQueries;
import io.meshdesk.ticketing.storage.TicketStore;
import io.meshdesk.ticketing.ticket.AuthorRole;
import io.meshdesk.ticketing.ticket.Requests;
import io.meshdesk.ticketing.ticket.Ticket;
import io.meshdesk.ticketing.ticket.TicketEvents;
import io.meshdesk.ticketing.ticket.TicketPriority;
import io.meshdesk.ticketing.ticket.TicketStatus;

/** The ticket lifecycle: create, read, change (status machine, optimistic locking), comment, rate. */
public final class TicketDesk {

    private static final Logger LOG = Logger.getLogger(TicketDesk.class);

    private final Database db;
    private final TicketStore store = new TicketStore();
    private final TicketQueries queries = new TicketQueries();
    private final SlaPolicy sla;
    private final TicketEvents events;
    private final TicketMetrics metrics;
    private final Clock clock;

    public TicketDesk(Database db, SlaPolicy sla, TicketEvents events, TicketMetrics metrics, Clock clock) {
        this.db = db;
        this.sla = sla;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Ticket create(Requests.Create r, String actor) {
        return create(r, actor, TicketStore.DEFAULT_TENANT);
    }

    /** Creates a ticket in the tenant of whoever opened it; {@code actor} is who the history names. */
    public Ticket create(Requests.Create r, String actor, String tenant) {
        Created created = db.inTransaction("creating a ticket", c -> create(c, r, actor, tenant));
        if (created.isNew()) {
            events.created(created.ticket());
            LOG.infof(
                    "ticket %s created for customer %s in queue %s (%s)",
                    created.ticket().ticketId(), r.customerId(), r.queue(), r.priority());
        }
        return created.ticket();
    }

    /** A ticket and whether this call created it (false: an idempotent repeat). */
    public record Created(Ticket ticket, boolean isNew) {}

    /** Creates inside the caller's transaction, so an event handler can record the event in the same one. */
    public Created create(Connection c, Requests.Create r, String actor) throws SQLException {
        return create(c, r, actor, TicketStore.DEFAULT_TENANT);
    }

    public Created create(Connection c, Requests.Create r, String actor, String tenant) throws SQLException {
        if (r.idempotencyKey() != null) {
            Ticket existing = store.findByIdempotencyKey(c, r.idempotencyKey());
            if (existing != null) {
                return new Created(existing, false);
            }
        }
        Instant now = clock.instant();
        Ticket t = new Ticket(
                UUID.randomUUID(),
                r.customerId(),
                r.subject(),
                r.description(),
                r.queue(),
                r.priority(),
                r.channel(),
                r.sessionId(),
                TicketStatus.NEW,
                null,
                1,
                now,
                now,
                Ticket.Sla.due(sla.firstResponseDue(r.priority(), now), sla.resolutionDue(r.priority(), now)),
                null,
                null,
                null);
        c.createStatement().execute("savepoint before_insert");
        try {
            store.insert(c, t, r.idempotencyKey(), tenant);
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState()) && r.idempotencyKey() != null) {
                // Another call with the same key won the race: answer with its ticket.
                c.createStatement().execute("rollback to savepoint before_insert");
                return new Created(store.findByIdempotencyKey(c, r.idempotencyKey()), false);
            }
            throw e;
        }
        store.record(c, t.ticketId(), new Ticket.Change(now, actor, "status", null, TicketStatus.NEW.toString()));
        return new Created(t, true);
    }

    public Ticket get(UUID id) {
        Ticket read = db.inTransaction("reading ticket " + id, c -> {
            Ticket t = require(c, id, false);
            return t.withDetails(store.history(c, id), store.comments(c, id));
        });
        // For ops following one ticket with the level turned up (DEBUG from etcd, see the README).
        LOG.debugf(
                "ticket %s read: %s at version %d, %d changes, %d comments",
                id,
                read.status(),
                read.version(),
                read.history().size(),
                read.comments().size());
        return read;
    }

    public Ticket update(Requests.Update r) {
        List<Ticket.Change> changes = new ArrayList<>();
        Ticket updated = db.inTransaction("updating ticket " + r.ticketId(), c -> {
            Ticket t = require(c, r.ticketId(), true);
            if (t.version() != r.version()) {
                throw Problem.conflict(
                        "ticket " + t.ticketId() + " is at version " + t.version() + ", not " + r.version()
                                + ": someone changed it since you read it; read it again and reapply your change");
            }
            Instant now = clock.instant();
            TicketStatus status = t.status();
            Instant resolvedAt = t.sla().resolvedAt();
            if (r.status() != null && r.status() != t.status()) {
                checkTransition(t, r.status(), now);
                status = r.status();
                resolvedAt = status == TicketStatus.RESOLVED ? now : status == TicketStatus.OPEN ? null : resolvedAt;
                changes.add(
                        new Ticket.Change(now, r.actor(), "status", t.status().toString(), status.toString()));
            }
            String assignee = changed(changes, now, r.actor(), "assignee", t.assignee(), r.assignee());
            TicketPriority priority = r.priority() == null ? t.priority() : r.priority();
            changed(changes, now, r.actor(), "priority", t.priority().toString(), priority.toString());
            String queue = changed(changes, now, r.actor(), "queue", t.queue(), r.queue());
            if (changes.isEmpty()) {
                return t;
            }
            Ticket next = t.revisedAt(now)
                    .queue(queue)
                    .priority(priority)
                    .status(status)
                    .assignee(assignee)
                    .sla(t.sla().withResolvedAt(resolvedAt))
                    .build();
            store.revise(c, next, t.version(), changes);
            return next;
        });
        if (!changes.isEmpty()) {
            events.updated(updated, changes);
            try (LogFields f = LogFields.ticket(updated.ticketId().toString())) {
                changes.stream()
                        .filter(ch -> ch.field().equals("status"))
                        .forEach(ch -> LOG.infof(
                                "ticket %s went from %s to %s (by %s)",
                                updated.ticketId(), ch.from(), ch.to(), ch.actor()));
            }
            if (updated.status() == TicketStatus.RESOLVED
                    && changes.stream().anyMatch(ch -> ch.field().equals("status"))) {
                metrics.resolved(
                        updated.queue(),
                        updated.priority().toString(),
                        Duration.between(updated.createdAt(), updated.sla().resolvedAt()));
                events.resolved(updated);
            }
        }
        return updated;
    }

    private void checkTransition(Ticket t, TicketStatus to, Instant now) {
        if (!t.status().next().contains(to)) {
            throw Problem.conflict("ticket " + t.ticketId() + " cannot go from " + t.status() + " to " + to
                    + "; from " + t.status() + " it can go to "
                    + (t.status().next().isEmpty()
                            ? "nothing (closed is final)"
                            : t.status().next().toString()));
        }
        if (t.status() == TicketStatus.RESOLVED
                && to == TicketStatus.OPEN
                && t.sla().resolvedAt().plus(Duration.ofDays(sla.reopenDays())).isBefore(now)) {
            throw Problem.conflict("ticket " + t.ticketId() + " was resolved more than " + sla.reopenDays()
                    + " days ago and can no longer be reopened; create a new ticket");
        }
    }

    private static <T> T changed(List<Ticket.Change> changes, Instant now, String actor, String field, T from, T to) {
        if (to == null || Objects.equals(from, to)) {
            return from;
        }
        changes.add(new Ticket.Change(now, actor, field, from == null ? null : from.toString(), to.toString()));
        return to;
    }

    public Ticket comment(Requests.Comment r) {
        return db.inTransaction("commenting on ticket " + r.ticketId(), c -> {
            Ticket t = require(c, r.ticketId(), true);
            if (t.status() == TicketStatus.CLOSED) {
                throw Problem.conflict("ticket " + t.ticketId() + " is closed; comment on a new ticket instead");
            }
            Instant now = clock.instant();
            store.comment(c, t.ticketId(), new Ticket.Comment(now, r.author(), r.authorRole(), r.body(), r.internal()));
            Ticket result = t;
            if (r.authorRole() == AuthorRole.AGENT && !r.internal() && t.sla().firstResponseAt() == null) {
                result = t.revisedAt(now).sla(t.sla().withFirstResponseAt(now)).build();
                store.revise(
                        c,
                        result,
                        t.version(),
                        List.of(new Ticket.Change(now, r.author(), "first_response", null, now.toString())));
            }
            return result.withDetails(store.history(c, t.ticketId()), store.comments(c, t.ticketId()));
        });
    }

    public Ticket rate(Requests.Rate r) {
        Ticket rated = db.inTransaction("rating ticket " + r.ticketId(), c -> {
            Ticket t = require(c, r.ticketId(), true);
            if (t.status() != TicketStatus.RESOLVED && t.status() != TicketStatus.CLOSED) {
                throw Problem.conflict(
                        "ticket " + t.ticketId() + " is " + t.status() + "; a ticket can be rated once it is resolved");
            }
            if (t.satisfaction() != null) {
                throw Problem.conflict("ticket " + t.ticketId() + " was already rated "
                        + t.satisfaction().score());
            }
            Instant now = clock.instant();
            Ticket next = t.revisedAt(now)
                    .satisfaction(new Ticket.Satisfaction(r.score(), r.comment()))
                    .build();
            store.revise(
                    c,
                    next,
                    t.version(),
                    List.of(new Ticket.Change(now, t.customerId(), "satisfaction", null, Integer.toString(r.score()))));
            return next;
        });
        metrics.satisfaction(rated.queue(), rated.channel(), r.score());
        return rated;
    }

    public TicketQueries.Page search(Requests.Search s) {
        return search(s, null);
    }

    /** The search within one tenant's tickets (null: every tenant's). */
    public TicketQueries.Page search(Requests.Search s, String tenant) {
        return db.inTransaction("searching tickets", c -> queries.search(c, s, tenant));
    }

    /** Whose the ticket is, for the access rules; 404 when there is no such ticket. */
    public TicketStore.Owner owner(UUID id) {
        return db.inTransaction("reading the owner of ticket " + id, c -> {
            TicketStore.Owner owner = store.owner(c, id);
            if (owner == null) {
                throw Problem.notFound("ticket " + id + " does not exist");
            }
            return owner;
        });
    }

    public List<TicketQueries.BacklogRow> backlog() {
        List<TicketQueries.BacklogRow> rows = db.inTransaction("counting the backlog", queries::backlog);
        metrics.backlog(rows);
        return rows;
    }

    private Ticket require(Connection c, UUID id, boolean forUpdate) throws SQLException {
        Ticket t = store.find(c, id, forUpdate);
        if (t == null) {
            throw Problem.notFound("ticket " + id + " does not exist");
        }
        return t;
    }
}
