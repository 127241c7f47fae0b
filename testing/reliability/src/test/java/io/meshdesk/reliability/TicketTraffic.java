package io.meshdesk.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.meshdesk.identity.testing.TestTokens;
import io.meshdesk.localservers.FunctionInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients creating tickets while ticketing or its database is killed: each ticket has its own
 * customer and idempotency key, and is retried with that key until it is acknowledged, against
 * whichever ticketing instance runs now.
 */
final class TicketTraffic {

    private final AtomicReference<FunctionInstance> current;
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

    TicketTraffic(FunctionInstance ticketing) {
        this.current = new AtomicReference<>(ticketing);
    }

    FunctionInstance current() {
        return current.get();
    }

    void replace(FunctionInstance next) {
        current.set(next);
    }

    long count(int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    static String token() {
        return TestTokens.agent("agent-7");
    }

    record Result(Map<String, String> acknowledged, Map<Integer, AtomicInteger> statuses, int tickets) {
        long count(int status) {
            AtomicInteger n = statuses.get(status);
            return n == null ? 0 : n.get();
        }

        String summary() {
            return acknowledged.size() + " of " + tickets + " tickets acknowledged; answers by status " + statuses;
        }

        /** Every acknowledged ticket is there, and a retried create made no second one. */
        void assertNothingLost(URI ticketing) {
            assertThat(acknowledged).as("tickets acknowledged").hasSize(tickets);
            assertThat(statuses.keySet())
                    .as("statuses answered (0: no connection)")
                    .allMatch(s -> s < 500 || s == 503);
            acknowledged.forEach((customer, ticketId) -> {
                Http.Answer got = Http.post(ticketing, "ticket-get", token(), Map.of("ticketId", ticketId));
                assertThat(got.status())
                        .as("acknowledged ticket %s of %s: %s", ticketId, customer, got.json())
                        .isEqualTo(200);
                Http.Answer search = Http.post(ticketing, "ticket-search", token(), Map.of("customerId", customer));
                assertThat(search.json().path("total").asLong())
                        .as("tickets of %s", customer)
                        .isEqualTo(1);
            });
        }
    }

    Result run(String prefix, int tickets, int concurrency, Duration deadline, Runnable fault) throws Exception {
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        boolean reached = FaultDuringTraffic.run(tickets, concurrency, deadline, fault, (worker, n) -> {
            String customer = "tc-" + prefix + "-" + n;
            Map<String, Object> body = Map.of(
                    "customerId", customer,
                    "subject", "Order late",
                    "description", "ticket " + n,
                    "queue", "support",
                    "priority", "normal",
                    "channel", "web",
                    "idempotencyKey", prefix + "-" + n);
            Http.Answer a = Http.post(current().url(), "ticket-create", token(), body);
            statuses.computeIfAbsent(a.status(), s -> new AtomicInteger()).incrementAndGet();
            if (a.ok()) {
                acknowledged.put(customer, a.json().path("ticketId").asText());
                return true;
            }
            return false;
        });
        assertThat(reached)
                .as("a third of the tickets were created before the fault")
                .isTrue();
        return new Result(Map.copyOf(acknowledged), Map.copyOf(statuses), tickets);
    }

    /** The pid of the PostgreSQL postmaster running on dataDir (first line of postmaster.pid). */
    static long postmasterPid(Path dataDir) {
        try {
            return Long.parseLong(
                    Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
