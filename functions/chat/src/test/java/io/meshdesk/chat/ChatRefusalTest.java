package io.meshdesk.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.grpc.Status;
import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.chat.v1.TextMessage;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.events.EventSink;
import io.meshdesk.token.ParticipantRole;
import io.meshdesk.token.SessionTokens;

import static org.assertj.core.api.Assertions.assertThat;

/** Every way a stream is refused, and the status and message the participant gets. */
@Timeout(60)
class ChatRefusalTest {

    static EtcdCluster etcd;
    static ChatNode node;
    static final SessionTokens tokens = new SessionTokens(ChatNode.SECRET, Duration.ofMinutes(10), Clock.systemUTC());

    String session;
    ChatConnection client;

    @BeforeAll
    static void start() {
        etcd = EtcdCluster.single();
        node = new ChatNode(etcd, ChatSettings.defaults("cn-north"), EventSink.NONE);
    }

    @AfterAll
    static void stop() {
        node.close();
        etcd.close();
    }

    @BeforeEach
    void newSession() throws Exception {
        session = "s-" + UUID.randomUUID();
        node.etcd
                .client()
                .getKVClient()
                .put(
                        Keyspace.bytes(Keyspace.session(session)),
                        Keyspace.bytes(
                                "{\"sessionId\":\"" + session + "\",\"state\":\"assigned\",\"channel\":\"app\"}"))
                .get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void hangUp() {
        if (client != null) {
            client.close();
        }
    }

    Status refusal(String token, ChannelPacket... packets) {
        client = new ChatConnection(node.port(), token);
        for (ChannelPacket p : packets) {
            client.send(p);
        }
        return client.awaitEnd();
    }

    ChannelPacket join(String sessionId, String participant, Role role) {
        return ChannelPacket.newBuilder()
                .setSessionId(sessionId)
                .setJoin(io.meshdesk.chat.v1.Join.newBuilder()
                        .setParticipantId(participant)
                        .setRole(role))
                .build();
    }

    ChannelPacket text(String text) {
        return ChannelPacket.newBuilder()
                .setText(TextMessage.newBuilder().setText(text))
                .build();
    }

    String customerToken() {
        return tokens.issue(session, "cust", ParticipantRole.CUSTOMER);
    }

    @Test
    void noTokenIsUnauthenticated() {
        Status s = refusal(null, join(session, "cust", Role.CUSTOMER));
        assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(s.getDescription()).contains("authorization: Bearer");
    }

    @Test
    void aForgedTokenIsUnauthenticated() {
        String forged = new SessionTokens(ChatNode.SECRET + "-forged", Duration.ofMinutes(5), Clock.systemUTC())
                .issue(session, "cust", ParticipantRole.CUSTOMER);
        assertThat(refusal(forged, join(session, "cust", Role.CUSTOMER)).getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void anExpiredTokenIsPermissionDenied() {
        String expired = new SessionTokens(
                        ChatNode.SECRET,
                        Duration.ofMinutes(1),
                        Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC))
                .issue(session, "cust", ParticipantRole.CUSTOMER);
        Status s = refusal(expired, join(session, "cust", Role.CUSTOMER));
        assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(s.getDescription()).contains("expired");
    }

    @Test
    void aTokenForAnotherSessionIsPermissionDenied() {
        Status s = refusal(customerToken(), join("someone-elses-session", "cust", Role.CUSTOMER));
        assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(s.getDescription()).contains("not someone-elses-session");
    }

    @Test
    void aTokenForAnotherParticipantOrRoleIsPermissionDenied() {
        assertThat(refusal(customerToken(), join(session, "agent", Role.CUSTOMER))
                        .getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        client.close();
        Status s = refusal(customerToken(), join(session, "cust", Role.AGENT));
        assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(s.getDescription()).contains("for the customer");
    }

    @Test
    void anythingButAJoinFirstIsInvalid() {
        Status s = refusal(customerToken(), text("hi"));
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).contains("first packet on a stream must be a Join");
    }

    @Test
    void aSessionRoutingDoesNotKnowIsNotFound() {
        String token = tokens.issue("no-such-session", "cust", ParticipantRole.CUSTOMER);
        assertThat(refusal(token, join("no-such-session", "cust", Role.CUSTOMER))
                        .getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void textOverTheLimitIsInvalidAndSaysTheLimit() {
        Status s = refusal(customerToken(), join(session, "cust", Role.CUSTOMER), text("é".repeat(2049)));
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(s.getDescription()).contains("4098 bytes").contains("limit is 4096");
    }

    @Test
    void moreThanTwentyMessagesASecondIsResourceExhausted() {
        client = new ChatConnection(node.port(), customerToken());
        client.send(join(session, "cust", Role.CUSTOMER));
        for (int i = 0; i < 60; i++) {
            client.send(text("spam " + i));
        }
        Status s = client.awaitEnd();
        assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(s.getDescription()).contains("more than 20 messages a second");
        // One second's worth, plus what the bucket refilled while chat handled the flood.
        assertThat(client.texts()).hasSizeLessThan(60);
    }
}
