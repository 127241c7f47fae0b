package io.meshdesk.ticketing.sla;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.meshdesk.ticketing.metrics.TicketMetrics;
import io.meshdesk.ticketing.storage.Database;
import io.meshdesk.ticketing.storage.TicketQueries;
import io.meshdesk.ticketing.storage.TicketStore;
import io.meshdesk.ticketing.ticket.Ticket;
import io.meshdesk.ticketing.ticket.TicketEvents;

/**
 * Marks tickets whose first response or resolution is overdue, once each: counts the breach,
 * records it in the history and sends {@code meshdesk.ticket.sla-breached}. The time is a
 * parameter, so tests move the clock instead of waiting.
 */
public final class SlaMonitor {

    private static final Logger LOG = Logger.getLogger(SlaMonitor.class);
    private static final int BATCH = 500;

    /** One breach found: the ticket as marked, and which target it missed. */
    public record Breach(Ticket ticket, String kind) {}

    private final Database db;
    private final TicketStore store = new TicketStore();
    private final TicketQueries queries = new TicketQueries();
    private final TicketEvents events;
    private final TicketMetrics metrics;

    public SlaMonitor(Database db, TicketEvents events, TicketMetrics metrics) {
        this.db = db;
        this.events = events;
        this.metrics = metrics;
    }

    public List<Breach> check(Instant now) {
        List<Breach> breaches = db.inTransaction("checking SLAs", c -> {
            List<Breach> found = new ArrayList<>();
            for (Ticket t : queries.firstResponseOverdue(c, now, BATCH)) {
                found.add(mark(c, t, now, "first_response"));
            }
            for (Ticket t : queries.resolutionOverdue(c, now, BATCH)) {
                Ticket fresh = store.find(c, t.ticketId(), true);
                found.add(mark(c, fresh, now, "resolution"));
            }
            return found;
        });
        for (Breach b : breaches) {
            metrics.slaBreached(b.ticket().queue(), b.ticket().priority().toString(), b.kind());
            events.slaBreached(b.ticket(), b.kind());
            LOG.infof(
                    "ticket %s breached its %s SLA (queue %s, %s)",
                    b.ticket().ticketId(),
                    b.kind(),
                    b.ticket().queue(),
                    b.ticket().priority());
        }
        return breaches;
    }

    private Breach mark(Connection c, Ticket t, Instant now, String kind) throws SQLException {
        boolean first = kind.equals("first_response");
        Ticket marked = t.revisedAt(now).sla(t.sla().breached(first)).build();
        store.revise(
                c,
                marked,
                t.version(),
                List.of(new Ticket.Change(now, "sla-monitor", kind + "_breached", "false", "true")));
        return new Breach(marked, kind);
    }
}
