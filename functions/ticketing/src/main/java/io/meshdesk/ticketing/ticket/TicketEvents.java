package io.meshdesk.ticketing.ticket;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.meshdesk.events.Event;
import io.meshdesk.events.EventSink;
import io.meshdesk.events.EventType;

/** The CloudEvents ticketing sends; ids name the ticket and its version, so a redelivery is recognisable. */
public final class TicketEvents {

    private static final String SOURCE = "/meshdesk/ticketing";
    private final EventSink sink;

    public TicketEvents(EventSink sink) {
        this.sink = sink;
    }

    public void created(Ticket t) {
        sink.publish(new Event(
                t.ticketId() + "@" + t.version(),
                EventType.TICKET_CREATED,
                SOURCE,
                t.ticketId().toString(),
                Instant.now(),
                t));
    }

    public void updated(Ticket t, List<Ticket.Change> changes) {
        sink.publish(new Event(
                t.ticketId() + "@" + t.version(),
                EventType.TICKET_UPDATED,
                SOURCE,
                t.ticketId().toString(),
                Instant.now(),
                Map.of("ticket", t, "changes", changes)));
    }

    public void resolved(Ticket t) {
        sink.publish(new Event(
                t.ticketId() + "@" + t.version() + "-resolved",
                EventType.TICKET_RESOLVED,
                SOURCE,
                t.ticketId().toString(),
                Instant.now(),
                t));
    }

    public void slaBreached(Ticket t, String kind) {
        sink.publish(new Event(
                t.ticketId() + "@breach-" + kind,
                EventType.TICKET_SLA_BREACHED,
                SOURCE,
                t.ticketId().toString(),
                Instant.now(),
                Map.of("ticket", t, "kind", kind)));
    }
}
