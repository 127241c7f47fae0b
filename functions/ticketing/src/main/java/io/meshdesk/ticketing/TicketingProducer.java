package io.meshdesk.ticketing;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.agroal.api.AgroalDataSource;
import io.meshdesk.events.KSinkEventSink;
import io.meshdesk.ticketing.lifecycle.TicketDesk;
import io.meshdesk.ticketing.metrics.TicketMetrics;
import io.meshdesk.ticketing.sla.SlaMonitor;
import io.meshdesk.ticketing.sla.SlaPolicy;
import io.meshdesk.ticketing.storage.Database;
import io.meshdesk.ticketing.ticket.TicketEvents;
import io.meshdesk.ticketing.ticket.TicketPriority;
import io.meshdesk.ticketing.transcript.SessionEventHandlers;
import io.meshdesk.ticketing.transcript.TranscriptArchive;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/** Wires ticketing's parts from configuration, and runs the SLA check on a timer. */
@ApplicationScoped
public class TicketingProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    SlaPolicy slaPolicy(TicketingConfig config) {
        Map<TicketPriority, SlaPolicy.Targets> targets = new EnumMap<>(TicketPriority.class);
        for (TicketPriority p : TicketPriority.values()) {
            TicketingConfig.Targets t = config.sla().get(p.toString());
            if (t == null) {
                throw new IllegalStateException(
                        "meshdesk.ticketing.sla." + p + ".first-response and .resolution " + "must be set");
            }
            targets.put(p, new SlaPolicy.Targets(t.firstResponse(), t.resolution()));
        }
        return new SlaPolicy(targets, config.reopenDays());
    }

    @Produces
    @Singleton
    TicketMetrics metrics(MeterRegistry registry) {
        return new TicketMetrics(registry);
    }

    @Produces
    @Singleton
    Database database(AgroalDataSource dataSource) {
        return new Database(dataSource);
    }

    @Produces
    @Singleton
    TicketEvents events(KSinkEventSink sink) {
        return new TicketEvents(sink);
    }

    @Produces
    @Singleton
    TicketDesk desk(Database db, SlaPolicy sla, TicketEvents events, TicketMetrics metrics, Clock clock) {
        return new TicketDesk(db, sla, events, metrics, clock);
    }

    @Produces
    @Singleton
    SlaMonitor slaMonitor(Database db, TicketEvents events, TicketMetrics metrics) {
        return new SlaMonitor(db, events, metrics);
    }

    @Produces
    @Singleton
    SessionEventHandlers handlers(Database db, TicketDesk desk, Clock clock) {
        return new SessionEventHandlers(db, desk, clock);
    }

    @Produces
    @Singleton
    TranscriptArchive transcripts(Database db, TicketMetrics metrics, Clock clock) {
        return new TranscriptArchive(db, metrics, clock);
    }

    /** The periodic check; instances running it at once skip each other's locked rows. */
    @ApplicationScoped
    public static class SlaTimer {
        private final SlaMonitor monitor;
        private final TicketDesk desk;
        private final Clock clock;

        SlaTimer(SlaMonitor monitor, TicketDesk desk, Clock clock) {
            this.monitor = monitor;
            this.desk = desk;
            this.clock = clock;
        }

        @Scheduled(
                every = "${meshdesk.ticketing.sla-check-interval:30s}",
                delayed = "5s",
                concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
        void tick() {
            monitor.check(clock.instant());
            desk.backlog();
        }
    }
}
