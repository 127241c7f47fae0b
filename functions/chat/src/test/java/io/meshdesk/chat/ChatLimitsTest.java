package io.meshdesk.chat;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import io.grpc.Status;
import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.testing.Packets;
import io.meshdesk.chat.v1.CallSignal;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Join;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.chat.v1.Typing;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.events.EventSink;
import io.meshdesk.token.ParticipantRole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15, chat: limits that limit. Every packet kind is bounded in bytes (unknown fields
 * included), counted per participant over all its streams, frames that do not decode are
 * INVALID_ARGUMENT, and a session is capped in size; an honest sender under the limits is never cut.
 */
@Timeout(120)
class ChatLimitsTest extends ChatOverEtcd {

    ChatNode node;
    String session;

    @BeforeEach
    void start() throws Exception {
        node = chat.node(ChatSettings.defaults("cn-north"), EventSink.NONE);
        session = ChatFixture.newSessionId();
        chat.putSession(session, "assigned", "cust", "agent");
    }

    ChatConnection customer() {
        return chat.connect(node, session, "cust", ParticipantRole.CUSTOMER, 0);
    }

    static ChannelPacket withUnknownField(ChannelPacket p, int bytes) {
        return p.toBuilder()
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(
                                999,
                                UnknownFieldSet.Field.newBuilder()
                                        .addLengthDelimited(ByteString.copyFrom(new byte[bytes]))
                                        .build())
                        .build())
                .build();
    }

    static ChannelPacket text(String text, String id) {
        return Packets.text(text, id);
    }

    @Test
    void aHugeUnknownFieldDoesNotBypassThePacketLimit() {
        ChatConnection c = customer();
        c.send(withUnknownField(text("hi", "u-1"), 30 * 1024));
        Status s = c.awaitEnd();
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).contains("limit is 20480 bytes per packet, unknown fields included");
    }

    @Test
    void smallUnknownFieldsAreNotStored() throws Exception {
        ChatConnection c = customer();
        c.send(withUnknownField(text("hi", "u-2"), 1000));
        c.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
        assertThat(c.texts().get(0).getUnknownFields().asMap()).isEmpty();
        long seq = c.texts().get(0).getSeqNum();
        byte[] stored = chat.get(Keyspace.chatLog(session) + String.format("%012d", seq))
                .getValue()
                .getBytes();
        assertThat(stored.length).isLessThan(200);
    }

    @Test
    void aCallSignalOverItsLimitIsInvalid() {
        ChatConnection c = customer();
        c.send(ChannelPacket.newBuilder()
                .setSignal(
                        CallSignal.newBuilder().setType(CallSignal.Type.OFFER).setPayload("v".repeat(17 * 1024)))
                .build());
        Status s = c.awaitEnd();
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).contains("call signal payload is 17408 bytes; the limit is 16384");
    }

    @Test
    void aClientMsgIdOverItsLimitIsInvalidAndNothingIsStored() throws Exception {
        ChatConnection c = customer();
        c.send(text("hi", "i".repeat(200)));
        Status s = c.awaitEnd();
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).contains("client_msg_id is 200 bytes; the limit is 128");
        assertThat(chat.client
                        .client()
                        .getKVClient()
                        .get(
                                Keyspace.bytes(Keyspace.chatIds(session)),
                                io.etcd.jetcd.options.GetOption.builder()
                                        .isPrefix(true)
                                        .withCountOnly(true)
                                        .build())
                        .get(5, TimeUnit.SECONDS)
                        .getCount())
                .isZero();
    }

    @Test
    void typingIsLimitedLikeEveryOtherPacket() {
        ChatConnection c = customer();
        for (int i = 0; i < 60; i++) {
            c.send(ChannelPacket.newBuilder()
                    .setTyping(Typing.newBuilder().setTyping(i % 2 == 0))
                    .build());
        }
        Status s = c.awaitEnd();
        assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(s.getDescription()).contains("more than 20 messages a second from cust");
    }

    @Test
    void theRateLimitIsPerParticipantNotPerStream() {
        List<ChatConnection> streams = List.of(customer(), customer(), customer());
        streams.forEach(c -> c.awaitReceived(r -> !r.isEmpty()));
        for (int i = 0; i < 15; i++) {
            for (ChatConnection c : streams) {
                c.send(text("m", "p-" + i + "-" + c.hashCode()));
            }
        }
        // 45 sent by one customer at once, 15 on each of three streams: each stream alone is under
        // 20, so only a count over all of the participant's streams refuses any.
        await().atMost(ChatConnection.TIMEOUT).until(() -> streams.stream().anyMatch(c -> c.end() != null));
        assertThat(streams.stream()
                        .map(ChatConnection::end)
                        .filter(e -> e != null)
                        .map(Status::getCode))
                .contains(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(streams.get(0).texts()).as("the refusal cut the 45 short").hasSizeLessThan(45);
    }

    @Test
    void aTextOfExactly4096BytesIsStoredAndOneByteMoreIsRefusedNamingTheField() throws Exception {
        ChatConnection c = customer();
        // Bytes of UTF-8, not characters: 2,048 two-byte characters are at the limit.
        String atLimit = "\u00e9".repeat(2048);
        c.text(atLimit, "limit-1");
        c.text("a".repeat(4096), "limit-2");
        c.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 2);
        assertThat(c.texts()).extracting(p -> p.getText().getText()).containsExactly(atLimit, "a".repeat(4096));

        c.text(atLimit + "a", "over-1");
        Status s = c.awaitEnd();
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).contains("text.text is 4097 bytes of UTF-8; the limit is 4096");
        assertThat(chat.get(Keyspace.chatIds(session) + "over-1"))
                .as("nothing stored")
                .isNull();
    }

    @Test
    void aFloodingParticipantIsLimitedAloneNotTheOtherParticipantNorAnotherSession() throws Exception {
        String otherSession = ChatFixture.newSessionId();
        chat.putSession(otherSession, "assigned", "cust-2", "agent-2");
        ChatConnection flooder = customer();
        ChatConnection agent = chat.connect(node, session, "agent", ParticipantRole.AGENT, 0);
        ChatConnection elsewhere = chat.connect(node, otherSession, "cust-2", ParticipantRole.CUSTOMER, 0);
        for (ChatConnection c : List.of(flooder, agent, elsewhere)) {
            c.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasEvent));
        }

        for (int i = 0; i < 60; i++) {
            flooder.text("spam " + i, "f-" + i);
        }
        // In the same second, on the same instance: 15 each, under the limit of 20.
        for (int i = 0; i < 15; i++) {
            agent.text("answer " + i, "a-" + i);
            elsewhere.text("question " + i, "e-" + i);
        }
        Status s = flooder.awaitEnd();
        assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(s.getDescription()).contains("more than 20 messages a second from cust");

        agent.awaitReceived(r -> r.stream()
                        .filter(p -> p.hasText() && p.getSenderId().equals("agent"))
                        .count()
                == 15);
        elsewhere.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 15);
        assertThat(agent.end()).as("the flooder's agent is not limited").isNull();
        assertThat(elsewhere.end())
                .as("a participant of another session is not limited")
                .isNull();
        // Not "at most 20": the bucket refills while chat handles the flood, a little or (slow machine) a lot.
        assertThat(agent.texts().stream().filter(p -> p.getSenderId().equals("cust")))
                .as("the refusal cut the flood short")
                .hasSizeLessThan(60);
    }

    @Test
    void aFifthStreamOfOneParticipantIsRefused() {
        for (int i = 0; i < 4; i++) {
            customer().awaitReceived(r -> !r.isEmpty());
        }
        Status s = customer().awaitEnd();
        assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(s.getDescription()).contains("cust has 4 streams open in session " + session);
    }

    @Test
    void truncatedProtobufIsInvalidArgumentNotAStuckStream() throws Exception {
        byte[] join = ChannelPacket.newBuilder()
                .setSessionId(session)
                .setJoin(Join.newBuilder().setParticipantId("cust").setRole(Role.CUSTOMER))
                .build()
                .toByteArray();
        byte[] text = text("hello there", "t-1").toByteArray();
        try (RawStream raw =
                new RawStream(node.port(), ChatFixture.TOKENS.issue(session, "cust", ParticipantRole.CUSTOMER))) {
            Status s = raw.send(join).send(Arrays.copyOf(text, text.length - 4)).awaitEnd();
            assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(s.getDescription()).contains("not a valid ChannelPacket");
        }
    }

    @Test
    void invalidUtf8IsInvalidArgumentNotAStuckStream() throws Exception {
        byte[] join = ChannelPacket.newBuilder()
                .setSessionId(session)
                .setJoin(Join.newBuilder().setParticipantId("cust").setRole(Role.CUSTOMER))
                .build()
                .toByteArray();
        // ChannelPacket.text (field 11) holding TextMessage.text (field 1) = C3 28, which is not UTF-8.
        byte[] badText = {0x5A, 0x04, 0x0A, 0x02, (byte) 0xC3, 0x28};
        try (RawStream raw =
                new RawStream(node.port(), ChatFixture.TOKENS.issue(session, "cust", ParticipantRole.CUSTOMER))) {
            Status s = raw.send(join).send(badText).awaitEnd();
            assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(s.getDescription()).contains("UTF-8");
        }
    }

    @Test
    void aSessionAtItsSizeLimitRefusesMoreWithAClearError() {
        node.close();
        node = chat.node(
                ChatSettings.defaults("cn-north")
                        .withMaxSessionBytes(32 * 1024)
                        .withMaxMessagesPerSecond(10_000)
                        .withMaxBytesPerSecond(100 << 20),
                EventSink.NONE);
        ChatConnection c = customer();
        String big = "x".repeat(4000);
        for (int i = 0; i < 10; i++) {
            c.text(big, "big-" + i);
        }
        Status s = c.awaitEnd();
        assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(s.getDescription())
                .contains("session " + session + " has reached its size limit of 32768 bytes", "start a new session");
        assertThat(c.texts()).hasSizeBetween(7, 8);
    }

    @Test
    void honestSendersUnderTheLimitAreNeverCutWhileBothSidesSendAtOnce() throws Exception {
        ChatNode other = chat.node(ChatSettings.defaults("cn-north"), EventSink.NONE);
        ChatConnection customer = customer();
        ChatConnection agent = chat.connect(other, session, "agent", ParticipantRole.AGENT, 0);
        customer.awaitReceived(
                r -> r.stream().anyMatch(p -> p.hasEvent() && p.getSenderId().equals("agent")));
        // Three seconds of both sides sending 15 a second at once, on two instances: contention, no abuse.
        for (int second = 0; second < 3; second++) {
            long start = System.nanoTime();
            for (int i = 0; i < 15; i++) {
                customer.text("c " + second + "/" + i, "c-" + second + "-" + i);
                agent.text("a " + second + "/" + i, "a-" + second + "-" + i);
            }
            long rest = 1_050_000_000L - (System.nanoTime() - start);
            java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, rest));
        }
        customer.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 90);
        agent.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 90);
        assertThat(customer.end()).isNull();
        assertThat(agent.end()).isNull();
    }
}
