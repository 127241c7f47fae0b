package io.meshdesk.chat.websocket;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.meshdesk.chat.RunningChat;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Receipt;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.chat.v1.Typing;
import io.meshdesk.etcd.testing.EtcdTestResource;
import io.meshdesk.token.ParticipantRole;
import io.meshdesk.token.SessionTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The browser path into chat: a WebSocket on the HTTP port with the gRPC path's session logic. */
@QuarkusTest
@QuarkusTestResource(EtcdTestResource.class)
@Timeout(60)
class WebSocketChatTest {

    static final SessionTokens TOKENS = RunningChat.TOKENS;

    @TestHTTPResource("/")
    URL root;

    private String session;

    @BeforeEach
    void assignedSession() throws Exception {
        session = "ws-" + System.nanoTime();
        RunningChat.putAssignedSession(session, "cust", "a-1");
    }

    @Test
    void aBrowserChatsWithAnAgentOnGrpcThroughTheSameLog() throws Exception {
        try (BrowserSocket customer = BrowserSocket.withToken(port(), customerToken());
                ChatConnection agent = new ChatConnection(port(), agentToken())) {
            assertThat(customer.subprotocol()).isEqualTo("meshdesk.chat.v1");
            customer.join(session, "cust", Role.CUSTOMER, 0);
            agent.join(session, "a-1", Role.AGENT, 0);
            customer.text("my parcel is late", "m-1");
            customer.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
            ChannelPacket ack = customer.texts().get(0);
            assertThat(ack.getSeqNum()).isPositive();
            assertThat(ack.getSenderId()).isEqualTo("cust");
            // The frame is the proto3 JSON mapping: camelCase names, 64-bit numbers as strings.
            assertThat(customer.frames())
                    .anySatisfy(f -> assertThat(f)
                            .contains("\"seqNum\":\"" + ack.getSeqNum() + "\"")
                            .contains("\"text\":{\"text\":\"my parcel is late\",\"clientMsgId\":\"m-1\"}"));

            agent.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
            agent.send(ChannelPacket.newBuilder()
                    .setTyping(Typing.newBuilder().setTyping(true))
                    .build());
            agent.text("sorry, let me check", "a-m-1");
            agent.send(ChannelPacket.newBuilder()
                    .setReceipt(Receipt.newBuilder().setReadUpToSeq(ack.getSeqNum()))
                    .build());
            customer.awaitReceived(r ->
                    r.stream().anyMatch(p -> p.hasReceipt() && p.getReceipt().getReadUpToSeq() == ack.getSeqNum()));
            assertThat(customer.received())
                    .anySatisfy(p -> assertThat(p.hasTyping()).isTrue());
            assertThat(customer.texts())
                    .extracting(p -> p.getText().getText())
                    .containsExactly("my parcel is late", "sorry, let me check");
        }
    }

    @Test
    void aReloadedPageResumesAfterItsLastSeqAndARetriedMessageIsStoredOnce() throws Exception {
        long last;
        try (BrowserSocket first = BrowserSocket.withToken(port(), customerToken())) {
            first.join(session, "cust", Role.CUSTOMER, 0).text("one", "c-1").text("two", "c-2");
            first.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 2);
            last = first.texts().get(0).getSeqNum();
        }
        try (BrowserSocket reloaded = BrowserSocket.withToken(port(), customerToken())) {
            reloaded.join(session, "cust", Role.CUSTOMER, last).text("two", "c-2");
            reloaded.awaitReceived(
                    r -> r.stream().filter(ChannelPacket::hasText).count() == 2);
            List<ChannelPacket> texts = reloaded.texts();
            assertThat(texts).extracting(p -> p.getText().getText()).containsExactly("two", "two");
            // The retry is acknowledged with the seq the first copy got: nothing stored twice.
            assertThat(texts.get(1).getSeqNum()).isEqualTo(texts.get(0).getSeqNum());
            assertThat(texts.get(0).getSeqNum()).isGreaterThan(last);
        }
    }

    @Test
    void noTokenAForgedOneAndAnotherParticipantsAreRefusedWithCloseCodes() throws Exception {
        try (BrowserSocket none = new BrowserSocket(port(), WebSocketChatChannel.SUBPROTOCOL)) {
            assertThat(none.awaitClose()).isEqualTo(4401);
            assertThat(none.closeReason()).contains("bearer.<token>");
        }
        String forged = customerToken().substring(0, customerToken().length() - 4) + "AAAA";
        try (BrowserSocket bad = BrowserSocket.withToken(port(), forged)) {
            assertThat(bad.awaitClose()).isEqualTo(4401);
            assertThat(bad.closeReason()).doesNotContain(forged);
        }
        try (BrowserSocket other = BrowserSocket.withToken(port(), customerToken())) {
            other.join(session, "someone-else", Role.CUSTOMER, 0);
            assertThat(other.awaitClose()).isEqualTo(4403);
            assertThat(other.closeReason()).contains("participant cust");
        }
    }

    @Test
    void aFrameThatIsNotAPacketOrNotAJoinFirstEndsTheSocket() throws Exception {
        try (BrowserSocket garbage = BrowserSocket.withToken(port(), customerToken())) {
            garbage.sendFrame("{\"nonsense\": 1}");
            assertThat(garbage.awaitClose()).isEqualTo(4400);
        }
        try (BrowserSocket noJoin = BrowserSocket.withToken(port(), customerToken())) {
            noJoin.text("hello", "x-1");
            assertThat(noJoin.awaitClose()).isEqualTo(4400);
            assertThat(noJoin.closeReason()).contains("Join");
        }
    }

    @Test
    void theLimitsOfTheGrpcPathHoldOnTheSocketToo() throws Exception {
        try (BrowserSocket tooLong = BrowserSocket.withToken(port(), customerToken())) {
            tooLong.join(session, "cust", Role.CUSTOMER, 0).text("x".repeat(5000), "long-1");
            assertThat(tooLong.awaitClose()).isEqualTo(4400);
            assertThat(tooLong.closeReason()).contains("5000 bytes");
        }
        try (BrowserSocket flood = BrowserSocket.withToken(port(), customerToken())) {
            flood.join(session, "cust", Role.CUSTOMER, 0);
            // Past one second's worth even if the bucket refills while chat handles the flood.
            for (int i = 0; i < 60 && !flood.closed(); i++) {
                flood.text("flood " + i, "f-" + i);
            }
            assertThat(flood.awaitClose()).isEqualTo(4429);
            assertThat(flood.closeReason()).contains("messages a second");
        }
    }

    private String customerToken() {
        return TOKENS.issue(session, "cust", ParticipantRole.CUSTOMER);
    }

    private String agentToken() {
        return TOKENS.issue(session, "a-1", ParticipantRole.AGENT);
    }

    private int port() {
        return root.getPort();
    }
}
