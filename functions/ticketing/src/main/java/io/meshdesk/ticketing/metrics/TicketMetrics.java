package io.meshdesk.ticketing.metrics;

import java.time.Duration;
import java.util.List;

import io.meshdesk.ticketing.storage.TicketQueries.BacklogRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/** Ticketing's indicators; the names are a contract, spelled here only. */
public final class TicketMetrics {

    public static final String BACKLOG = "meshdesk.ticket.backlog";
    public static final String SLA_BREACHED = "meshdesk.tickets.sla.breached";
    public static final String RESOLUTION = "meshdesk.ticket.resolution";
    public static final String CSAT = "meshdesk.csat.score";

    private final MeterRegistry registry;
    private final MultiGauge backlog;

    public TicketMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.backlog = MultiGauge.builder(BACKLOG)
                .description("Open tickets by queue and priority")
                .register(registry);
    }

    /** Replaces the backlog gauge with a fresh count; queues that emptied drop out. */
    public void backlog(List<BacklogRow> rows) {
        backlog.register(
                rows.stream()
                        .map(r -> MultiGauge.Row.of(Tags.of("queue", r.queue(), "priority", r.priority()), r.open()))
                        .toList(),
                true);
    }

    public void slaBreached(String queue, String priority, String kind) {
        Counter.builder(SLA_BREACHED)
                .description("SLA breaches detected")
                .tags("queue", queue, "priority", priority, "kind", kind)
                .register(registry)
                .increment();
    }

    public void resolved(String queue, String priority, Duration took) {
        Timer.builder(RESOLUTION)
                .description("Time from creation to resolution")
                .tags("queue", queue, "priority", priority)
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
    }

    /** A rating; {@code channel} is the session's (web, app, ...), so the faces' ratings can be told apart. */
    public void satisfaction(String queue, String channel, int score) {
        DistributionSummary.builder(CSAT)
                .description("Customer satisfaction scores, 1 to 5")
                .tags("queue", queue, "channel", channel == null || channel.isBlank() ? "unknown" : channel)
                .serviceLevelObjectives(1, 2, 3, 4, 5)
                .register(registry)
                .record(score);
    }
}
