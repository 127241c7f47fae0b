package io.meshdesk.ticketing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.meshdesk.events.EventSink;
import io.meshdesk.ticketing.lifecycle.TicketDesk;
import io.meshdesk.ticketing.metrics.TicketMetrics;
import io.meshdesk.ticketing.sla.SlaPolicy;
import io.meshdesk.ticketing.storage.Database;
import io.meshdesk.ticketing.storage.TicketQueries;
import io.meshdesk.ticketing.ticket.Requests;
import io.meshdesk.ticketing.ticket.Ticket;
import io.meshdesk.ticketing.ticket.TicketEvents;
import io.meshdesk.ticketing.ticket.TicketPriority;
import io.meshdesk.ticketing.ticket.TicketStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/** The database itself: tickets survive a restart, and search and backlog stay on indexes at scale. */
@Timeout(120)
class TicketStorageTest {

    static TicketDesk desk(DataSource ds) {
        Flyway.configure().dataSource(ds).load().migrate();
        return new TicketDesk(
                new Database(ds),
                SlaPolicy.defaults(),
                new TicketEvents(EventSink.NONE),
                new TicketMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC());
    }

    static Requests.Create ticket(String customer, String queue, TicketPriority p) {
        return new Requests.Create(customer, "subject", "description", queue, p, "web", null, null);
    }

    @Test
    void everyTicketSurvivesARestartOfTheDatabase() throws Exception {
        Path dir = Files.createTempDirectory("meshdesk-pg-");
        UUID id;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .start()) {
            TicketDesk desk = desk(pg.getPostgresDatabase());
            Ticket t = desk.create(ticket("c-restart", "support", TicketPriority.HIGH), "test");
            id = t.ticketId();
            desk.update(new Requests.Update(id, 1, TicketStatus.OPEN, "ana", null, null, "test"));
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .start()) {
            Ticket t = desk(pg.getPostgresDatabase()).get(id);
            assertThat(t.status()).isEqualTo(TicketStatus.OPEN);
            assertThat(t.assignee()).isEqualTo("ana");
            assertThat(t.history()).hasSize(3);
        }
    }

    @Test
    void searchAndBacklogOnThousandsOfTicketsUseIndexes() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            DataSource ds = pg.getPostgresDatabase();
            desk(ds);
            insertMany(ds, 5000);
            TicketDesk desk = desk(ds);
            TicketQueries.Page byCustomer = desk.search(new Requests.Search("c-17", null, null, null, null, 0, 20));
            assertThat(byCustomer.total()).isEqualTo(25);
            assertThat(byCustomer.tickets())
                    .isSortedAccordingTo((a, b) -> b.createdAt().compareTo(a.createdAt()));
            TicketQueries.Page newest = desk.search(new Requests.Search(null, null, null, null, null, 2, 50));
            assertThat(newest.tickets()).hasSize(50);
            assertThat(newest.total()).isEqualTo(5000);
            assertThat(desk.backlog())
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.open()).isPositive());

            try (Connection c = ds.getConnection()) {
                TicketQueries queries = new TicketQueries();
                String customerPlan = queries.plan(c, new Requests.Search("c-17", null, null, null, null, 0, 20));
                String newestPlan = queries.plan(c, new Requests.Search(null, null, null, null, null, 0, 20));
                String queuePlan =
                        queries.plan(c, new Requests.Search(null, TicketStatus.OPEN, "q-3", null, null, 0, 20));
                assertThat(customerPlan)
                        .as(customerPlan)
                        .contains("ticket_by_customer")
                        .doesNotContain("Seq Scan");
                assertThat(newestPlan)
                        .as(newestPlan)
                        .contains("ticket_by_created")
                        .doesNotContain("Seq Scan");
                assertThat(queuePlan)
                        .as(queuePlan)
                        .contains("ticket_by_status_queue")
                        .doesNotContain("Seq Scan");
            }
        }
    }

    /** Thousands of tickets straight into the table: 200 customers, 10 queues, every status. */
    private static void insertMany(DataSource ds, int n) throws Exception {
        String[] statuses = {"new", "open", "pending", "resolved", "closed"};
        String[] priorities = {"low", "normal", "high", "urgent"};
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("insert into ticket (id, "
                        + "customer_id, subject, description, queue, priority, channel, status, version, created_at, "
                        + "updated_at, first_response_due, resolution_due) values (?,?,?,?,?,?,?,?,1,?,?,?,?)")) {
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = 0; i < n; i++) {
                Instant at = start.plus(Duration.ofMinutes(i));
                s.setObject(1, UUID.randomUUID());
                s.setString(2, "c-" + (i % 200));
                s.setString(3, "subject " + i);
                s.setString(4, "description " + i);
                s.setString(5, "q-" + (i % 10));
                s.setString(6, priorities[i % 4]);
                s.setString(7, "web");
                s.setString(8, statuses[i % 5]);
                s.setTimestamp(9, java.sql.Timestamp.from(at));
                s.setTimestamp(10, java.sql.Timestamp.from(at));
                s.setTimestamp(11, java.sql.Timestamp.from(at.plus(Duration.ofHours(4))));
                s.setTimestamp(12, java.sql.Timestamp.from(at.plus(Duration.ofHours(24))));
                s.addBatch();
            }
            s.executeBatch();
            c.createStatement().execute("analyze ticket");
        }
    }
}
