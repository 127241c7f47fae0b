package io.meshdesk.ticketing.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.meshdesk.ticketing.ticket.TicketPriority;

/** How long each priority may wait for a first response and for resolution. */
public record SlaPolicy(Map<TicketPriority, Targets> targets, int reopenDays) {

    public record Targets(Duration firstResponse, Duration resolution) {}

    public static SlaPolicy defaults() {
        return new SlaPolicy(
                Map.of(
                        TicketPriority.URGENT, new Targets(Duration.ofMinutes(15), Duration.ofHours(4)),
                        TicketPriority.HIGH, new Targets(Duration.ofHours(1), Duration.ofHours(8)),
                        TicketPriority.NORMAL, new Targets(Duration.ofHours(4), Duration.ofHours(24)),
                        TicketPriority.LOW, new Targets(Duration.ofHours(8), Duration.ofHours(72))),
                7);
    }

    public Instant firstResponseDue(TicketPriority p, Instant from) {
        return from.plus(targets.get(p).firstResponse());
    }

    public Instant resolutionDue(TicketPriority p, Instant from) {
        return from.plus(targets.get(p).resolution());
    }
}
