package io.meshdesk.chat;

import java.util.List;
import java.util.Set;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import io.grpc.Status;
import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.CallSignal;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Join;
import io.meshdesk.chat.v1.Receipt;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.chat.v1.SessionEvent;
import io.meshdesk.chat.v1.TextMessage;
import io.meshdesk.chat.v1.Typing;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.events.EventSink;
import io.meshdesk.token.ParticipantRole;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15, chat: every packet kind, with random sizes, strings, unknown fields and raw bytes.
 * Whatever a participant sends, its stream either goes on or ends with a status naming what it
 * did wrong (never UNKNOWN, INTERNAL or UNAVAILABLE, never stuck), and what is stored stays within
 * the limits and gap-free.
 */
class ChatPacketFuzzTest {

    static final Set<Status.Code> ALLOWED =
            Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED);

    static EtcdCluster etcd;
    static ChatFixture chat;
    static ChatNode node;
    static String session;

    @BeforeContainer
    static void start() throws Exception {
        etcd = EtcdCluster.single();
        chat = new ChatFixture(etcd);
        node = chat.node(
                ChatSettings.defaults("cn-north")
                        .withMaxMessagesPerSecond(100_000)
                        .withMaxBytesPerSecond(100 << 20)
                        .withMaxSessionBytes(64L << 20),
                EventSink.NONE);
        session = ChatFixture.newSessionId();
        chat.putSession(session, "assigned", "cust", "agent");
    }

    @AfterContainer
    static void stop() {
        try {
            await().atMost(ChatConnection.TIMEOUT).until(() -> ChatFixture.streams(node) == 0);
            ChatConnection reader = chat.connect(node, session, "agent", ParticipantRole.AGENT, 0);
            reader.awaitReceived(r ->
                    r.stream().anyMatch(p -> p.hasEvent() && p.getSenderId().equals("agent")));
            List<ChannelPacket> stored = ChatFixture.stored(reader.received());
            for (int i = 0; i < stored.size(); i++) {
                ChannelPacket p = stored.get(i);
                assertThat(p.getSeqNum()).isEqualTo(i + 1);
                assertThat(p.getSerializedSize())
                        .isLessThanOrEqualTo(node.chat.settings().maxPacketBytes() + 64);
                assertThat(p.getUnknownFields().asMap()).isEmpty();
            }
        } finally {
            chat.close();
            etcd.close();
        }
    }

    @Property(tries = 60)
    void anyPacketsEndTheStreamWithAStatusThatSaysWhyOrNotAtAll(@ForAll("packets") List<ChannelPacket> packets) {
        try (ChatConnection c = chat.connect(node, session, "cust", ParticipantRole.CUSTOMER, 0)) {
            packets.forEach(c::send);
            c.hangUp();
            Status end = c.awaitEnd();
            assertThat(end.getCode()).as(String.valueOf(end)).isIn(ALLOWED);
            if (end.getCode() != Status.Code.OK) {
                assertThat(end.getDescription()).isNotBlank().doesNotContain("Exception");
            }
        }
    }

    @Property(tries = 40)
    void anyBytesAfterAJoinEndWithAStatusThatSaysWhyOrNotAtAll(@ForAll("frames") List<byte[]> frames) throws Exception {
        byte[] join = ChannelPacket.newBuilder()
                .setSessionId(session)
                .setJoin(Join.newBuilder().setParticipantId("cust").setRole(Role.CUSTOMER))
                .build()
                .toByteArray();
        try (RawStream raw =
                new RawStream(node.port(), ChatFixture.TOKENS.issue(session, "cust", ParticipantRole.CUSTOMER))) {
            raw.send(join);
            frames.forEach(raw::send);
            raw.halfClose();
            Status end = raw.awaitEnd();
            assertThat(end.getCode()).as(String.valueOf(end)).isIn(ALLOWED);
        }
    }

    @Provide
    Arbitrary<List<byte[]>> frames() {
        return Arbitraries.bytes()
                .array(byte[].class)
                .ofMaxSize(300)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<ChannelPacket>> packets() {
        return packet().list().ofMinSize(1).ofMaxSize(5);
    }

    private Arbitrary<ChannelPacket> packet() {
        Arbitrary<String> text = Arbitraries.strings()
                .all()
                .ofMaxLength(3000)
                .injectDuplicates(0.1)
                .edgeCases(e -> e.add("é".repeat(2049)));
        Arbitrary<String> id = Arbitraries.strings().all().ofMaxLength(160);
        Arbitrary<ChannelPacket> payload = Arbitraries.oneOf(
                Combinators.combine(text, id)
                        .as((t, i) -> ChannelPacket.newBuilder()
                                .setText(TextMessage.newBuilder().setText(t).setClientMsgId(i))
                                .build()),
                Combinators.combine(
                                Arbitraries.integers().between(0, 7),
                                Arbitraries.strings().ofMaxLength(18_000))
                        .as((t, p) -> ChannelPacket.newBuilder()
                                .setSignal(
                                        CallSignal.newBuilder().setTypeValue(t).setPayload(p))
                                .build()),
                Arbitraries.of(true, false)
                        .map(t -> ChannelPacket.newBuilder()
                                .setTyping(Typing.newBuilder().setTyping(t))
                                .build()),
                Arbitraries.longs()
                        .map(s -> ChannelPacket.newBuilder()
                                .setReceipt(Receipt.newBuilder().setReadUpToSeq(s))
                                .build()),
                Arbitraries.just(ChannelPacket.newBuilder()
                        .setJoin(Join.newBuilder().setParticipantId("cust").setRole(Role.CUSTOMER))
                        .build()),
                Arbitraries.just(ChannelPacket.newBuilder()
                        .setEvent(SessionEvent.newBuilder().setType(SessionEvent.Type.CLOSED))
                        .build()),
                Arbitraries.just(ChannelPacket.getDefaultInstance()));
        Arbitrary<Integer> unknown = Arbitraries.integers().between(0, 30_000).edgeCases(e -> e.add(0));
        return Combinators.combine(payload, unknown, Arbitraries.strings().ofMaxLength(40))
                .as((p, u, sid) -> {
                    ChannelPacket.Builder b = p.toBuilder().setSessionId(sid.isEmpty() ? session : sid);
                    if (u > 0) {
                        b.setUnknownFields(UnknownFieldSet.newBuilder()
                                .addField(
                                        777,
                                        UnknownFieldSet.Field.newBuilder()
                                                .addLengthDelimited(ByteString.copyFrom(new byte[u]))
                                                .build())
                                .build());
                    }
                    return b.build();
                });
    }
}
