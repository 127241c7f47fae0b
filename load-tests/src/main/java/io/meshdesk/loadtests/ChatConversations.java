package io.meshdesk.loadtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Role;

/**
 * Chat conversations: many sessions at once, the customer on one chat instance and the agent
 * on another, both sides sending at a human pace or as fast as the server takes it (flood).
 * Delivery is timed from the sender's call to the packet arriving on the other side's stream.
 */
final class ChatConversations {

    private static final String TEXT_PREFIX = "load ";

    record Parameters(Duration duration, int sessions, Duration pace) {}

    /** A session's two ends. */
    record Pair(String session, ChatConnection customer, ChatConnection agent) {}

    static Report run(Platform platform, Parameters p) {
        FunctionClient routing =
                new FunctionClient(platform.routingInstances().get(0).url());
        int chatA = platform.chatInstances().get(0).port();
        int chatB = platform.chatInstances()
                .get(platform.chatInstances().size() - 1)
                .port();
        Timeline delivery = new Timeline("chat delivery");
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        AtomicLong sent = new AtomicLong();
        List<Pair> pairs = open(routing, platform.tokens(), chatA, chatB, p.sessions(), "conv", delivery, sentAt);
        long end = System.nanoTime() + p.duration().toNanos();
        try (Ticker ticker = new Ticker(List.of(delivery))) {
            List<Thread> senders = new ArrayList<>();
            for (Pair pair : pairs) {
                Thread t = Workers.start("chat-sender", () -> {
                    long n = 0;
                    // People do not type in step: each conversation starts at its own moment in the
                    // first pace interval, and each gap varies by a fifth either way.
                    if (!p.pace().isZero()) {
                        Pause.millis(
                                ThreadLocalRandom.current().nextLong(p.pace().toMillis()));
                    }
                    while (System.nanoTime() < end) {
                        n++;
                        send(pair.customer(), pair.session() + ":c:" + n, sentAt, delivery);
                        send(pair.agent(), pair.session() + ":a:" + n, sentAt, delivery);
                        sent.addAndGet(2);
                        if (!p.pace().isZero()) {
                            long pace = p.pace().toMillis();
                            Pause.millis(pace + ThreadLocalRandom.current().nextLong(-pace / 5, pace / 5 + 1));
                        } else if (sentAt.size() > 2_000) {
                            Pause.millis(1);
                        }
                    }
                });
                senders.add(t);
            }
            for (Thread t : senders) {
                t.join();
            }
            long drain = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!sentAt.isEmpty() && System.nanoTime() < drain) {
                Pause.millis(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(routing, platform.tokens(), pairs);
        }
        long lost = sentAt.size();
        return new Report("chat")
                .parameter("duration_s", p.duration().toSeconds())
                .parameter("sessions", p.sessions())
                .parameter("pace_ms", p.pace().toMillis())
                .parameter("chat_instances", platform.chatInstances().size())
                .figure("messages_sent", sent.get())
                .figure("messages_delivered", delivery.total().getTotalCount())
                .figure("not_delivered_within_10s", lost)
                .figure("delivery_p50_ms", delivery.percentileMs(50))
                .figure("delivery_p99_ms", delivery.percentileMs(99))
                .figure(
                        "messages_per_s",
                        delivery.total().getTotalCount()
                                / Math.max(1, p.duration().toSeconds()))
                .timeline(delivery);
    }

    /** Routes sessions and connects both ends, the customer on chat A and the agent on chat B. */
    static List<Pair> open(
            FunctionClient routing,
            Tokens tokens,
            int chatA,
            int chatB,
            int sessions,
            String prefix,
            Timeline delivery,
            Map<String, Long> sentAt) {
        FunctionClient agentCalls = routing.as(tokens.agent(prefix + "-agent"));
        if (FunctionClient.agentsFor(sessions) > 1) {
            throw new IllegalArgumentException(sessions + " sessions are more than one agent may hold ("
                    + FunctionClient.MAX_AGENT_CAPACITY / FunctionClient.CHAT_COST + "); ask for fewer");
        }
        agentCalls.call(
                "agent-register", FunctionClient.agent(prefix + "-agent", FunctionClient.MAX_AGENT_CAPACITY, "en"));
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            String id = prefix + "-" + i + "-" + System.nanoTime();
            JsonNode routed = routing.as(tokens.customer(FunctionClient.customerOf(id)))
                    .call("session-route", FunctionClient.session(id, "en"));
            String agentToken = agentCalls
                    .call("session-token", Map.of("sessionId", id))
                    .path("token")
                    .asText();
            ChatConnection customer = new ChatConnection(
                            chatA, routed.path("customerToken").asText())
                    .onPacket(packet -> delivered(packet, true, sentAt, delivery));
            ChatConnection agent = new ChatConnection(chatB, agentToken)
                    .onPacket(packet -> delivered(packet, false, sentAt, delivery));
            customer.join(id, FunctionClient.customerOf(id), Role.CUSTOMER, 0);
            agent.join(id, prefix + "-agent", Role.AGENT, 0);
            pairs.add(new Pair(id, customer, agent));
        }
        // Both joins are in once each side has seen the other's JOINED event.
        for (Pair pair : pairs) {
            pair.customer()
                    .awaitReceived(
                            r -> r.stream().filter(ChannelPacket::hasEvent).count() >= 2);
            pair.agent()
                    .awaitReceived(
                            r -> r.stream().filter(ChannelPacket::hasEvent).count() >= 2);
        }
        return pairs;
    }

    static void send(ChatConnection from, String clientMsgId, Map<String, Long> sentAt, Timeline delivery) {
        sentAt.put(clientMsgId, System.nanoTime());
        try {
            from.text(TEXT_PREFIX + clientMsgId, clientMsgId);
        } catch (RuntimeException e) {
            sentAt.remove(clientMsgId);
            delivery.error();
        }
    }

    /**
     * The other side's copy of a text ends its timing; the sender's own copy does not. The id
     * travels in the text itself ("load <id>"), as receivers see only what was said.
     */
    private static void delivered(
            ChannelPacket packet, boolean customerSide, Map<String, Long> sentAt, Timeline delivery) {
        if (!packet.hasText() || !packet.getText().getText().startsWith(TEXT_PREFIX)) {
            return;
        }
        String id = packet.getText().getText().substring(TEXT_PREFIX.length());
        boolean fromCustomer = id.contains(":c:");
        if (fromCustomer == customerSide) {
            return;
        }
        Long t0 = sentAt.remove(id);
        if (t0 != null) {
            delivery.ok(System.nanoTime() - t0);
        }
    }

    static void close(FunctionClient routing, Tokens tokens, List<Pair> pairs) {
        for (Pair pair : pairs) {
            pair.customer().close();
            pair.agent().close();
            try {
                routing.as(tokens.customer(FunctionClient.customerOf(pair.session())))
                        .call("session-close", Map.of("sessionId", pair.session(), "outcome", "resolved"));
            } catch (RuntimeException e) {
                // closing is tidying up; the figures are taken
            }
        }
    }
}
