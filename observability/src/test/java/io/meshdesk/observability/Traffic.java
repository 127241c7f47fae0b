package io.meshdesk.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.identity.dev.DevCallers;

/**
 * A small, steady stream of what customers and agents do, so every SLI has fresh samples: in the
 * region with chat, sessions are routed, talked through over gRPC and closed (resolved or not),
 * and tickets go from creation to a rating; the other region only routes. Runs until stopped.
 */
final class Traffic implements Runnable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final URI routing;
    private final URI otherRouting;
    private final int chatPort;
    private final URI ticketing;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger rounds = new AtomicInteger();
    private volatile RuntimeException failure;

    private final DevCallers callers;

    /** Each call is signed as the caller the rules expect ({@link DevCallers}). */
    Traffic(URI routing, URI otherRouting, int chatPort, URI ticketing, DevCallers callers) {
        this.callers = callers;
        this.routing = routing;
        this.otherRouting = otherRouting;
        this.chatPort = chatPort;
        this.ticketing = ticketing;
    }

    @Override
    public void run() {
        try {
            for (URI r : new URI[] {routing, otherRouting}) {
                post(
                        r,
                        "agent-register",
                        Map.of(
                                "agentId",
                                "agent-" + r.getPort(),
                                "languages",
                                new String[] {"en"},
                                "skills",
                                Map.of("billing", 4),
                                "capacity",
                                100),
                        Map.of());
            }
            while (running.get()) {
                int n = rounds.incrementAndGet();
                conversation(n);
                otherRegion(n);
                ticket(n);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void conversation(int n) {
        String agent = "agent-" + routing.getPort();
        post(routing, "agent-heartbeat", Map.of("agentId", agent), Map.of());
        JsonNode routed = post(
                routing,
                "session-route",
                Map.of(
                        "sessionId",
                        "obs-" + n,
                        "customerId",
                        "c-" + n,
                        "channel",
                        n % 3 == 0 ? "app" : "web",
                        "language",
                        "en",
                        "skills",
                        Map.of("billing", 2)),
                Map.of());
        String session = routed.path("sessionId").asText();
        if (routed.path("agentId").asText().equals(agent)) {
            String agentToken = post(
                            routing, "session-token", Map.of("sessionId", session, "participantId", agent), Map.of())
                    .path("token")
                    .asText();
            try (ChatConnection customer = new ChatConnection(
                            chatPort, routed.path("customerToken").asText());
                    ChatConnection agentSide = new ChatConnection(chatPort, agentToken)) {
                customer.join(session, "c-" + n, Role.CUSTOMER, 0);
                agentSide.join(session, agent, Role.AGENT, 0);
                agentSide.text("Hello, how can I help?", "a-" + n);
                customer.text("My invoice is wrong", "c-" + n);
                customer.awaitReceived(p -> p.stream().filter(x -> x.hasText()).count() >= 2);
                agentSide.awaitReceived(p -> p.stream().filter(x -> x.hasText()).count() >= 2);
                customer.hangUp();
                agentSide.hangUp();
                customer.awaitEnd();
                agentSide.awaitEnd();
            }
        }
        post(
                routing,
                "session-close",
                Map.of("sessionId", session, "outcome", n % 4 == 0 ? "unresolved" : "resolved"),
                Map.of());
    }

    private void otherRegion(int n) {
        String agent = "agent-" + otherRouting.getPort();
        post(otherRouting, "agent-heartbeat", Map.of("agentId", agent), Map.of());
        JsonNode routed = post(
                otherRouting,
                "session-route",
                Map.of(
                        "sessionId",
                        "obs-us-" + n,
                        "customerId",
                        "u-" + n,
                        "channel",
                        "web",
                        "language",
                        "en",
                        "skills",
                        Map.of("billing", 1)),
                Map.of());
        post(
                otherRouting,
                "session-close",
                Map.of("sessionId", routed.path("sessionId").asText(), "outcome", "resolved"),
                Map.of());
    }

    private void ticket(int n) {
        // Urgent tickets left alone breach their (shortened) first-response SLA.
        post(
                ticketing,
                "ticket-create",
                Map.of(
                        "customerId",
                        "c-" + n,
                        "subject",
                        "Refund " + n,
                        "description",
                        "late order",
                        "queue",
                        "billing",
                        "priority",
                        "urgent",
                        "channel",
                        "web"),
                Map.of());
        JsonNode t = post(
                ticketing,
                "ticket-create",
                Map.of(
                        "customerId",
                        "c-" + n,
                        "subject",
                        "Invoice " + n,
                        "description",
                        "wrong amount",
                        "queue",
                        "billing",
                        "priority",
                        "normal",
                        "channel",
                        "web"),
                Map.of());
        String id = t.path("ticketId").asText();
        t = post(
                ticketing,
                "ticket-update",
                Map.of("ticketId", id, "version", t.path("version").asLong(), "status", "open"),
                Map.of());
        post(
                ticketing,
                "ticket-comment",
                Map.of(
                        "ticketId",
                        id,
                        "author",
                        "agent-1",
                        "authorRole",
                        "agent",
                        "body",
                        "Fixed it",
                        "internal",
                        false),
                Map.of());
        t = post(ticketing, "ticket-get", Map.of("ticketId", id), Map.of());
        post(
                ticketing,
                "ticket-update",
                Map.of("ticketId", id, "version", t.path("version").asLong(), "status", "resolved"),
                Map.of());
        post(
                ticketing,
                "ticket-rate",
                Map.of("ticketId", id, "score", 3 + n % 3),
                Map.of("Authorization", "Bearer " + callers.customer("c-" + n)));
    }

    int rounds() {
        return rounds.get();
    }

    /** Stops after the round in progress; rethrows what broke the traffic, if anything did. */
    void stop() {
        running.set(false);
    }

    void check() {
        if (failure != null) {
            throw new IllegalStateException(
                    "the traffic stopped after " + rounds.get() + " rounds: " + failure.getMessage(), failure);
        }
    }

    private JsonNode post(URI base, String function, Map<String, ?> body, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/" + function))
                    .header("content-type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(Repo.JSON.writeValueAsString(body)));
            headers.forEach(b::header);
            if (!headers.containsKey("Authorization")) {
                b.header("Authorization", "Bearer " + callers.tokenFor(function, Repo.JSON.valueToTree(body)));
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(function + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isBlank() ? Repo.JSON.createObjectNode() : Repo.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(function + " at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
