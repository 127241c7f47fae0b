package io.meshdesk.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.grpc.Status;
import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.chat.v1.SessionEvent;
import io.meshdesk.chat.v1.TextMessage;
import io.meshdesk.chat.v1.Typing;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.events.Event;
import io.meshdesk.events.EventType;
import io.meshdesk.token.ParticipantRole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two chat instances over real gRPC and a real etcd: the customer on one, the agent on the
 * other. Sessions are written to etcd as routing writes them.
 */
@Timeout(120)
class ChatRelayTest extends ChatOverEtcd {

    static final List<Event> events = new CopyOnWriteArrayList<>();

    ChatNode a;
    ChatNode b;
    String session;

    @BeforeEach
    void startInstances() throws Exception {
        ChatSettings roomy = ChatSettings.defaults("cn-north")
                .withMaxMessagesPerSecond(10_000)
                .withMaxBytesPerSecond(100 << 20)
                .withRetention(Duration.ofMinutes(5));
        a = chat.node(roomy, events::add);
        b = chat.node(roomy, events::add);
        session = ChatFixture.newSessionId();
        putSession(session, "assigned");
    }

    void putSession(String sessionId, String state) throws Exception {
        chat.putSession(sessionId, state, "cust", "agent");
    }

    ChatConnection connect(ChatNode node, ParticipantRole role, long resumeAfter) {
        return chat.connect(node, session, role == ParticipantRole.AGENT ? "agent" : "cust", role, resumeAfter);
    }

    static void assertGapFreeFromOne(List<ChannelPacket> received) {
        long[] seqs = received.stream()
                .mapToLong(ChannelPacket::getSeqNum)
                .filter(s -> s > 0)
                .toArray();
        assertThat(seqs).containsExactly(LongStream.rangeClosed(1, seqs.length).toArray());
    }

    @Test
    void hundredsOfMessagesBothWaysArriveInTheSameGapFreeOrderOnBothInstances() throws Exception {
        ChatConnection customer = connect(a, ParticipantRole.CUSTOMER, 0);
        ChatConnection agent = connect(b, ParticipantRole.AGENT, 0);
        customer.awaitReceived(
                r -> r.stream().anyMatch(p -> p.hasEvent() && p.getSenderId().equals("agent")));
        Thread customerSends = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                customer.text("from customer " + i, "c-" + i);
            }
        });
        Thread agentSends = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                agent.text("from agent " + i, "a-" + i);
            }
        });
        customerSends.start();
        agentSends.start();
        customerSends.join(ChatConnection.TIMEOUT.toMillis());
        agentSends.join(ChatConnection.TIMEOUT.toMillis());
        assertThat(customerSends.isAlive() || agentSends.isAlive())
                .as("both senders finished within %s", ChatConnection.TIMEOUT)
                .isFalse();
        customer.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 400);
        agent.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 400);

        List<ChannelPacket> seenByCustomer =
                customer.received().stream().filter(p -> p.getSeqNum() > 0).toList();
        List<ChannelPacket> seenByAgent =
                agent.received().stream().filter(p -> p.getSeqNum() > 0).toList();
        assertGapFreeFromOne(seenByCustomer);
        assertThat(seenByAgent)
                .isEqualTo(seenByCustomer.subList(seenByCustomer.size() - seenByAgent.size(), seenByCustomer.size()));
        assertThat(customer.texts().stream()
                        .filter(p -> p.getSenderId().equals("cust"))
                        .map(p -> p.getText().getText()))
                .containsExactly(java.util.stream.IntStream.range(0, 200)
                        .mapToObj(i -> "from customer " + i)
                        .toArray(String[]::new));
        assertThat(agent.texts().stream()
                        .filter(p -> p.getSenderId().equals("agent"))
                        .map(p -> p.getText().getClientMsgId()))
                .hasSize(200)
                .doesNotHaveDuplicates();
        assertThat(a.registry.find("meshdesk.chat.delivery").timer().count()).isPositive();
    }

    @Test
    void whenAnInstanceDiesTheParticipantResumesOnAnotherAndMissesNothing() {
        ChatConnection customer = connect(a, ParticipantRole.CUSTOMER, 0);
        ChatConnection agent = connect(b, ParticipantRole.AGENT, 0);
        for (int i = 0; i < 50; i++) {
            customer.text("before " + i, "b-" + i);
        }
        agent.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 50);
        b.close();
        assertThat(agent.awaitEnd().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.CANCELLED);
        long resumeAfter = agent.lastSeq();

        for (int i = 0; i < 50; i++) {
            customer.text("during " + i, "d-" + i);
        }
        ChatConnection again = connect(a, ParticipantRole.AGENT, resumeAfter);
        again.text("the agent is back", "back-1");
        again.awaitReceived(r -> r.stream()
                        .anyMatch(
                                p -> p.hasText() && p.getText().getClientMsgId().equals("back-1"))
                && r.stream()
                        .anyMatch(
                                p -> p.hasText() && p.getText().getClientMsgId().equals("d-49")));

        List<ChannelPacket> all = new java.util.ArrayList<>(agent.received());
        all.addAll(again.received());
        assertGapFreeFromOne(all.stream().filter(p -> p.getSeqNum() > 0).toList());
        assertThat(all.stream()
                        .filter(ChannelPacket::hasText)
                        .map(p -> p.getText().getText()))
                .contains("before 49", "during 0", "during 49", "the agent is back")
                .doesNotHaveDuplicates();
        b = chat.node(a.chat.settings(), events::add);
    }

    @Test
    void aRetriedMessageIsStoredOnceAndAcknowledgedWithItsFirstSeq() {
        ChatConnection customer = connect(a, ParticipantRole.CUSTOMER, 0);
        customer.text("hello", "m-1");
        customer.awaitReceived(r -> r.stream().anyMatch(p -> p.hasText()));
        long first = customer.texts().get(0).getSeqNum();
        customer.text("hello", "m-1");
        customer.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 2);
        assertThat(customer.texts()).extracting(ChannelPacket::getSeqNum).containsExactly(first, first);

        ChatConnection agent = connect(b, ParticipantRole.AGENT, 0);
        agent.awaitReceived(
                r -> r.stream().anyMatch(p -> p.hasEvent() && p.getSenderId().equals("agent")));
        assertThat(agent.texts()).hasSize(1);
    }

    @Test
    void typingIsRelayedToTheOtherSideButNotStored() {
        ChatConnection customer = connect(a, ParticipantRole.CUSTOMER, 0);
        ChatConnection agent = connect(b, ParticipantRole.AGENT, 0);
        agent.awaitReceived(r -> !r.isEmpty());
        customer.send(ChannelPacket.newBuilder()
                .setTyping(Typing.newBuilder().setTyping(true))
                .build());
        agent.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasTyping));
        ChannelPacket typing = agent.received().stream()
                .filter(ChannelPacket::hasTyping)
                .findFirst()
                .orElseThrow();
        assertThat(typing.getSeqNum()).isZero();
        assertThat(typing.getSenderId()).isEqualTo("cust");
        assertThat(customer.received()).noneMatch(ChannelPacket::hasTyping);
    }

    @Test
    void closingTheSessionEndsBothStreamsWithPermissionDeniedAndHandsOverOneTranscript() throws Exception {
        ChatConnection customer = connect(a, ParticipantRole.CUSTOMER, 0);
        ChatConnection agent = connect(b, ParticipantRole.AGENT, 0);
        customer.text("my order is late", "q-1");
        agent.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
        agent.text("let me check", "r-1");
        customer.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 2);

        putSession(session, "closed");
        for (ChatConnection c : List.of(customer, agent)) {
            Status end = c.awaitEnd();
            assertThat(end.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(end.getDescription()).contains("closed", "transcript through ticketing");
            ChannelPacket last = c.received().get(c.received().size() - 1);
            assertThat(last.getEvent().getType()).isEqualTo(SessionEvent.Type.CLOSED);
        }
        await().atMost(ChatConnection.TIMEOUT).until(() -> transcripts(session).size() == 1);
        assertThat(transcripts(session).get(0).id()).isEqualTo(session + "@transcript");
        // The transcript goes out first, then the keys are re-put with the retention lease.
        await().atMost(ChatConnection.TIMEOUT)
                .untilAsserted(() -> assertThat(a.etcd.client()
                                .getKVClient()
                                .get(Keyspace.bytes(Keyspace.chatCounter(session)))
                                .get(5, TimeUnit.SECONDS)
                                .getKvs()
                                .get(0)
                                .getLease())
                        .as("the chat keys are bound to the retention lease")
                        .isNotZero());
        assertThat(timed(a, "meshdesk.first.response") + timed(b, "meshdesk.first.response"))
                .as("first response is measured once per session, on whichever instance")
                .isEqualTo(1);

        ChatConnection late = connect(a, ParticipantRole.CUSTOMER, 0);
        assertThat(late.awaitEnd().getCode())
                .as("after close the live log is not replayed")
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(late.texts()).isEmpty();
    }

    private static long timed(ChatNode node, String timer) {
        var t = node.registry.find(timer).timer();
        return t == null ? 0 : t.count();
    }

    private static List<Event> transcripts(String sessionId) {
        return events.stream()
                .filter(e ->
                        e.type() == EventType.TRANSCRIPT_READY && e.subject().equals(sessionId))
                .toList();
    }

    @Test
    void aConsumerThatStopsReadingIsCutOffWithResourceExhaustedNotUnboundedMemory() {
        b.close();
        b = chat.node(a.chat.settings().withOutboundBufferBytes(64 * 1024), events::add);
        ChatConnection stuck = new ChatConnection(
                b.port(), ChatFixture.TOKENS.issue(session, "cust", ParticipantRole.CUSTOMER), false);
        chat.clients.add(stuck);
        stuck.join(session, "cust", Role.CUSTOMER, 0);
        // Joined first: otherwise the gauge below reads 0 before the stream is even there.
        await().atMost(ChatConnection.TIMEOUT)
                .until(() -> b.registry.find("meshdesk.chat.streams").gauge().value() == 1);
        ChatConnection agent = connect(a, ParticipantRole.AGENT, 0);
        String big = "x".repeat(4000);
        for (int i = 0; i < 400; i++) {
            agent.send(ChannelPacket.newBuilder()
                    .setText(TextMessage.newBuilder().setText(big).setClientMsgId("big-" + i))
                    .build());
        }
        // The server cuts the stream and forgets it; the client hears why once it reads again.
        await().atMost(ChatConnection.TIMEOUT)
                .until(() -> b.registry.find("meshdesk.chat.streams").gauge().value() == 0);
        stuck.readEverything();
        assertThat(stuck.awaitEnd().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(stuck.end().getDescription()).contains("resume_after_seq");
    }
}
