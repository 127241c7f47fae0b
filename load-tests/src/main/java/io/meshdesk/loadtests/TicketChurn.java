package io.meshdesk.loadtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/** Ticket churn: workers create tickets, comment on them, move them on and search, for a while. */
final class TicketChurn {

    record Parameters(Duration duration, int workers) {}

    static Report run(Platform platform, Parameters p) {
        FunctionClient ticketing = new FunctionClient(
                        platform.ticketingInstance().url())
                .as(platform.tokens().agent("agent-1"));
        Timeline create = new Timeline("ticket-create");
        Timeline comment = new Timeline("ticket-comment");
        Timeline update = new Timeline("ticket-update");
        Timeline search = new Timeline("ticket-search");
        long end = System.nanoTime() + p.duration().toNanos();
        try (Ticker ticker = new Ticker(List.of(create, comment, update, search))) {
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < p.workers(); w++) {
                int worker = w;
                workers.add(Workers.start("ticket-worker-" + worker, () -> {
                    long round = 0;
                    while (System.nanoTime() < end) {
                        long n = ++round;
                        String customer = "churn-" + worker + "-" + (n % 50);
                        JsonNode t = timed(
                                create,
                                () -> ticketing.call(
                                        "ticket-create",
                                        Map.of(
                                                "customerId",
                                                customer,
                                                "subject",
                                                "Order " + n,
                                                "description",
                                                "late",
                                                "queue",
                                                n % 2 == 0 ? "billing" : "shipping",
                                                "priority",
                                                "normal",
                                                "channel",
                                                "web")));
                        if (t == null) {
                            continue;
                        }
                        String id = t.path("ticketId").asText();
                        timed(
                                comment,
                                () -> ticketing.call(
                                        "ticket-comment",
                                        Map.of(
                                                "ticketId",
                                                id,
                                                "author",
                                                "agent-1",
                                                "authorRole",
                                                "agent",
                                                "body",
                                                "looking",
                                                "internal",
                                                false)));
                        JsonNode current = ticketing.call("ticket-get", Map.of("ticketId", id));
                        timed(
                                update,
                                () -> ticketing.call(
                                        "ticket-update",
                                        Map.of(
                                                "ticketId",
                                                id,
                                                "version",
                                                current.path("version").asLong(),
                                                "status",
                                                "open")));
                        timed(
                                search,
                                () -> ticketing.call("ticket-search", Map.of("customerId", customer, "size", 20)));
                    }
                }));
            }
            for (Thread t : workers) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long done = create.total().getTotalCount();
        return new Report("ticket-churn")
                .parameter("duration_s", p.duration().toSeconds())
                .parameter("workers", p.workers())
                .figure("tickets_created", done)
                .figure(
                        "tickets_per_s",
                        done / (double) Math.max(1, p.duration().toSeconds()))
                .figure("errors", create.errors() + comment.errors() + update.errors() + search.errors())
                .figure("search_p99_ms", search.percentileMs(99))
                .timeline(create)
                .timeline(comment)
                .timeline(update)
                .timeline(search);
    }

    private static JsonNode timed(Timeline t, Supplier<JsonNode> call) {
        long t0 = System.nanoTime();
        try {
            JsonNode answer = call.get();
            t.ok(System.nanoTime() - t0);
            return answer;
        } catch (RuntimeException e) {
            t.error();
            return null;
        }
    }
}
