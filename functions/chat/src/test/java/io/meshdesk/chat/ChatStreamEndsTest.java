package io.meshdesk.chat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.chat.v1.SessionEvent;
import io.meshdesk.chat.v1.TextMessage;
import io.meshdesk.events.EventSink;
import io.meshdesk.token.ParticipantRole;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15, chat: every way a stream ends unsubscribes it exactly once (LEFT recorded, the streams
 * gauge down), and nothing blocks a watch thread or an event loop, whatever a client sends.
 */
@Timeout(120)
class ChatStreamEndsTest extends ChatOverEtcd {

    ChatNode a;
    ChatNode b;
    String session;

    @BeforeEach
    void start() throws Exception {
        ChatSettings roomy = ChatSettings.defaults("cn-north")
                .withMaxMessagesPerSecond(10_000)
                .withMaxBytesPerSecond(100 << 20);
        a = chat.node(roomy, EventSink.NONE);
        b = chat.node(roomy, EventSink.NONE);
        session = ChatFixture.newSessionId();
        chat.putSession(session, "assigned", "cust", "agent");
    }

    @Test
    void theBlockedThreadDetectorSeesABlockedEventLoop() throws Exception {
        // Proves the check the other tests rely on: a blocked Vert.x event loop is reported.
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setBlockedThreadCheckInterval(20)
                .setMaxEventLoopExecuteTime(50)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
        try {
            CountDownLatch done = new CountDownLatch(1);
            vertx.runOnContext(v -> {
                long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                done.countDown();
            });
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            await().atMost(ChatConnection.TIMEOUT)
                    .until(() -> !blocked.warnings().isEmpty());
            blocked.warnings().clear();
        } finally {
            vertx.close();
        }
    }

    @Test
    void resumeAfterSeqBeyondTheEndOfTheLogIsRefusedAndDeliveryGoesOn() {
        ChatConnection customer = chat.connect(a, session, "cust", ParticipantRole.CUSTOMER, 0);
        ChatConnection agent = chat.connect(b, session, "agent", ParticipantRole.AGENT, 0);
        customer.text("hello", "h-1");
        agent.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));

        // 18446744073709551615 on the wire: -1 in Java.
        ChatConnection bogus = chat.connect(a, session, "agent", ParticipantRole.AGENT, -1L);
        Status refused = bogus.awaitEnd();
        assertThat(refused.getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
        assertThat(refused.getDescription())
                .contains("18446744073709551615", "beyond the end of the log", "its last seq is");

        long sent = System.currentTimeMillis();
        for (int i = 0; i < 50; i++) {
            customer.text("after " + i, "a-" + i);
        }
        agent.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 51);
        assertThat(System.currentTimeMillis() - sent)
                .as("delivery is not held up")
                .isLessThan(5_000);
    }

    @Test
    void aHoleInTheLiveFeedIsFilledOffTheWatchThread() throws Exception {
        ChatConnection agent = chat.connect(b, session, "agent", ParticipantRole.AGENT, 0);
        ChatConnection customer = chat.connect(a, session, "cust", ParticipantRole.CUSTOMER, 0);
        customer.text("one", "o-1");
        agent.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
        long last = agent.lastSeq();
        // A packet far ahead of what the agent has: the feed shows a gap that a catch-up must read.
        ChannelPacket ahead = ChannelPacket.newBuilder()
                .setSessionId(session)
                .setSeqNum(last + 5)
                .setSenderId("cust")
                .setText(TextMessage.newBuilder().setText("ahead"))
                .build();
        chat.client
                .client()
                .getKVClient()
                .put(
                        io.meshdesk.etcd.Keyspace.bytes(
                                io.meshdesk.etcd.Keyspace.chatLog(session) + String.format("%012d", last + 5)),
                        io.etcd.jetcd.ByteSequence.from(ahead.toByteArray()))
                .get(5, TimeUnit.SECONDS);
        agent.awaitReceived(r ->
                r.stream().anyMatch(p -> p.hasText() && p.getText().getText().equals("ahead")));
        assertThat(agent.end()).isNull();
    }

    @Test
    void aTransportErrorEndsTheStreamOnceWithLeftAndTheGaugeDown() {
        ChatConnection agent = chat.connect(b, session, "agent", ParticipantRole.AGENT, 0);
        ChatConnection customer = chat.connect(a, session, "cust", ParticipantRole.CUSTOMER, 0);
        agent.awaitReceived(r -> ChatFixture.events(agent, "cust", SessionEvent.Type.JOINED) > 0);
        assertThat(ChatFixture.streams(a)).isEqualTo(1);

        // Over the transport's inbound limit: the transport ends the call before chat sees the packet.
        customer.send(ChannelPacket.newBuilder()
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(
                                999,
                                UnknownFieldSet.Field.newBuilder()
                                        .addLengthDelimited(ByteString.copyFrom(new byte[ChatNode.MAX_INBOUND + 1024]))
                                        .build())
                        .build())
                .build());
        // grpc-java's server resets the stream (CANCELLED here); Quarkus's answers RESOURCE_EXHAUSTED
        // (ChatFunctionTest).
        assertThat(customer.awaitEnd().getCode()).isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED);
        await().atMost(ChatConnection.TIMEOUT).until(() -> ChatFixture.streams(a) == 0);
        agent.awaitReceived(r -> ChatFixture.events(agent, "cust", SessionEvent.Type.LEFT) == 1);

        // The instance goes on serving: a later joiner there sends and receives.
        ChatConnection again = chat.connect(a, session, "cust", ParticipantRole.CUSTOMER, 0);
        again.text("still here", "s-1");
        agent.awaitReceived(r ->
                r.stream().anyMatch(p -> p.hasText() && p.getText().getText().equals("still here")));
        again.awaitReceived(r ->
                r.stream().anyMatch(p -> p.hasText() && p.getText().getText().equals("still here")));
        assertThat(ChatFixture.events(agent, "cust", SessionEvent.Type.LEFT))
                .as("LEFT exactly once")
                .isEqualTo(1);
    }

    @Test
    void clientsThatVanishWithoutClosingAreRemovedWithLeft() throws Exception {
        ChatConnection agent = chat.connect(b, session, "agent", ParticipantRole.AGENT, 0);
        for (int i = 0; i < 10; i++) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", a.port())
                    .usePlaintext()
                    .build();
            ChatConnection c =
                    new ChatConnection(channel, ChatFixture.TOKENS.issue(session, "cust", ParticipantRole.CUSTOMER));
            c.join(session, "cust", Role.CUSTOMER, 0);
            int n = i;
            c.awaitReceived(r -> ChatFixture.events(c, "cust", SessionEvent.Type.JOINED) > n);
            // The connection drops: no half-close, no cancel from the client's side.
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
        await().atMost(ChatConnection.TIMEOUT).until(() -> ChatFixture.streams(a) == 0);
        agent.awaitReceived(r -> ChatFixture.events(agent, "cust", SessionEvent.Type.LEFT) == 10);
        assertThat(ChatFixture.streams(b)).isEqualTo(1);
    }

    @Test
    void aParticipantThatHangsUpEndsNormallyOnceWithLeft() {
        ChatConnection agent = chat.connect(b, session, "agent", ParticipantRole.AGENT, 0);
        ChatConnection customer = chat.connect(a, session, "cust", ParticipantRole.CUSTOMER, 0);
        customer.awaitReceived(r -> ChatFixture.events(customer, "cust", SessionEvent.Type.JOINED) == 1);
        customer.hangUp();
        assertThat(customer.awaitEnd()).isEqualTo(Status.OK);
        agent.awaitReceived(r -> ChatFixture.events(agent, "cust", SessionEvent.Type.LEFT) == 1);
        await().atMost(ChatConnection.TIMEOUT).until(() -> ChatFixture.streams(a) == 0);
    }
}
