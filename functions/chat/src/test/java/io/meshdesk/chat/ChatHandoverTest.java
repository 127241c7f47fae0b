package io.meshdesk.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.metrics.ChatMetrics;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.events.Event;
import io.meshdesk.events.EventSink;
import io.meshdesk.events.EventType;
import io.meshdesk.session.contract.Outcome;
import io.meshdesk.session.contract.Transcript;
import io.meshdesk.token.ParticipantRole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15, chat: transcripts are handed over durably. A sink that is down is tried again with
 * backoff for as long as it takes, across a restart of every chat instance; a close that
 * happened while no chat instance ran is picked up by the sweep; the state is in a metric.
 */
@Timeout(120)
class ChatHandoverTest extends ChatOverEtcd {

    /** Ticketing behind K_SINK, which can be down: answers like an HTTP sink that refuses. */
    static final class Ticketing implements EventSink {
        volatile boolean up;
        final AtomicInteger attempts = new AtomicInteger();
        final List<Event> received = new CopyOnWriteArrayList<>();

        @Override
        public void publish(Event event) {
            deliver(event);
        }

        @Override
        public CompletionStage<Void> deliver(Event event) {
            attempts.incrementAndGet();
            if (!up) {
                return CompletableFuture.failedFuture(new IllegalStateException("http://ticketing answered HTTP 503"));
            }
            received.add(event);
            return CompletableFuture.completedFuture(null);
        }

        List<Event> transcripts(String sessionId) {
            return received.stream()
                    .filter(e -> e.type() == EventType.TRANSCRIPT_READY
                            && e.subject().equals(sessionId))
                    .toList();
        }
    }

    static final ChatSettings FAST = ChatSettings.defaults("cn-north")
            .withHandover(new ChatSettings.Handover(
                    Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(2)));

    Ticketing ticketing;
    String session;

    @BeforeEach
    void start() throws Exception {
        ticketing = new Ticketing();
        session = ChatFixture.newSessionId();
    }

    private void converse(ChatNode node) throws Exception {
        chat.putSession(session, "assigned", "cust", "agent");
        ChatConnection customer = chat.connect(node, session, "cust", ParticipantRole.CUSTOMER, 0);
        customer.text("where is my parcel?", "q-1");
        customer.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
    }

    private static double gauge(ChatNode node, String name) {
        return node.registry.find(name).gauge().value();
    }

    private static double counted(ChatNode node, String outcome) {
        return node.registry
                .find(ChatMetrics.HANDOVERS)
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    @Test
    void aTranscriptSurvivesASinkThatIsDownAndARestartOfEveryChatInstance() throws Exception {
        ChatNode a = chat.node(FAST, ticketing);
        ChatNode b = chat.node(FAST, ticketing);
        converse(a);
        chat.putSession(session, "closed", "cust", "agent");

        // Ticketing is down: attempt after attempt fails, the handover stays pending, nothing expires.
        await().atMost(ChatConnection.TIMEOUT).until(() -> ticketing.attempts.get() >= 6);
        await().atMost(ChatConnection.TIMEOUT)
                .until(() ->
                        gauge(a, ChatMetrics.HANDOVERS_PENDING) == 1 && gauge(b, ChatMetrics.HANDOVERS_PENDING) == 1);
        assertThat(counted(a, "failed") + counted(b, "failed")).isGreaterThanOrEqualTo(5);
        assertThat(Keyspace.text(chat.get(Keyspace.chatHandover(session)).getValue()))
                .contains("\"state\":\"pending\"", "HTTP 503");
        assertThat(chat.get(Keyspace.chatCounter(session)).getLease())
                .as("no retention before ticketing has it")
                .isZero();

        // Every chat instance goes away; a new one comes up, and so does ticketing.
        a.close();
        b.close();
        ChatNode c = new ChatNode(etcd.cluster(), FAST, ticketing);
        chat.nodes.add(c);
        ticketing.up = true;

        await().atMost(ChatConnection.TIMEOUT)
                .until(() -> !ticketing.transcripts(session).isEmpty());
        await().atMost(ChatConnection.TIMEOUT)
                .until(() -> chat.get(Keyspace.chatCounter(session)).getLease() != 0);
        assertThat(ticketing.transcripts(session)).extracting(Event::id).containsOnly(session + "@transcript");
        Transcript transcript =
                (Transcript) ticketing.transcripts(session).get(0).data();
        assertThat(transcript.lines()).extracting(Transcript.Line::text).contains("where is my parcel?");
        assertThat(transcript.customerId()).isEqualTo("cust");
        assertThat(chat.get(Keyspace.chatHandover(session)))
                .as("the pending record is gone once acknowledged")
                .isNull();
        await().atMost(ChatConnection.TIMEOUT).until(() -> gauge(c, ChatMetrics.HANDOVERS_PENDING) == 0);
        assertThat(counted(c, "acknowledged")).isEqualTo(1);
    }

    @Test
    void aCloseWhileEveryChatInstanceWasDownIsPickedUp() throws Exception {
        ticketing.up = true;
        ChatNode a = chat.node(FAST, ticketing);
        converse(a);
        a.close();
        chat.putSession(session, "closed", "cust", "agent");

        chat.nodes.add(new ChatNode(etcd.cluster(), FAST, ticketing));
        await().atMost(ChatConnection.TIMEOUT)
                .until(() -> !ticketing.transcripts(session).isEmpty());
        await().atMost(ChatConnection.TIMEOUT)
                .until(() -> chat.get(Keyspace.chatCounter(session)).getLease() != 0);
        assertThat(((Transcript) ticketing.transcripts(session).get(0).data()).outcome())
                .isEqualTo(Outcome.RESOLVED);
    }
}
