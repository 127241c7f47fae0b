package io.meshdesk.chat;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Join;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.chat.v1.SessionEvent;
import io.meshdesk.chat.v1.TextMessage;
import io.meshdesk.etcd.testing.EtcdTestResource;
import io.meshdesk.token.ParticipantRole;
import io.meshdesk.token.SessionTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15, chat, against the packaged function's own transport (gRPC on Quarkus's HTTP port):
 * an oversized header or message costs only its own call, and undecodable frames are
 * INVALID_ARGUMENT.
 */
@QuarkusTest
@QuarkusTestResource(EtcdTestResource.class)
@Timeout(90)
class ChatTransportTest {

    static final SessionTokens TOKENS = RunningChat.TOKENS;
    static final Pattern STREAMS = Pattern.compile("meshdesk_chat_streams\\{[^}]*region=\"cn-north\"[^}]*} ([0-9.]+)");

    @RegisterExtension
    final BlockedThreadWarnings blocked = new BlockedThreadWarnings();

    @TestHTTPResource("/")
    URL root;

    ManagedChannel shared;
    String session;

    @BeforeEach
    void setUp() throws Exception {
        shared = RunningChat.channel(root);
        session = "t-" + UUID.randomUUID();
        RunningChat.putAssignedSession(session, "cust", "agent");
    }

    @AfterEach
    void tearDown() throws Exception {
        shared.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    ChatConnection join(String participant, ParticipantRole role) {
        return new ChatConnection(shared, TOKENS.issue(session, participant, role))
                .join(session, participant, role == ParticipantRole.AGENT ? Role.AGENT : Role.CUSTOMER, 0);
    }

    @Test
    void anOversizedBearerHeaderIsRefusedForThatCallAndTheConnectionLivesOn() {
        ChatConnection customer = join("cust", ParticipantRole.CUSTOMER);
        customer.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasEvent));

        try (ChatConnection huge = new ChatConnection(shared, "h".repeat(17 * 1024))) {
            huge.join(session, "cust", Role.CUSTOMER, 0);
            Status refused = huge.awaitEnd();
            assertThat(refused.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(refused.getDescription()).contains("authorization header is", "at most 8192");
        }

        // The other stream on the same HTTP/2 connection goes on, and new ones open.
        customer.text("still connected", "s-1");
        customer.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
        assertThat(customer.end()).isNull();
        ChatConnection agent = join("agent", ParticipantRole.AGENT);
        agent.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
        customer.close();
        agent.close();
    }

    @Test
    void aMessageOverTheTransportLimitEndsThatStreamWithLeftAndTheGaugeDown() throws Exception {
        double before = streams();
        ChatConnection agent = join("agent", ParticipantRole.AGENT);
        ChatConnection customer = join("cust", ParticipantRole.CUSTOMER);
        agent.awaitReceived(r -> ChatFixture.events(agent, "cust", SessionEvent.Type.JOINED) == 1);
        await().atMost(ChatConnection.TIMEOUT).until(() -> streams() == before + 2);

        customer.send(ChannelPacket.newBuilder()
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(
                                999,
                                UnknownFieldSet.Field.newBuilder()
                                        .addLengthDelimited(ByteString.copyFrom(new byte[300 * 1024]))
                                        .build())
                        .build())
                .build());
        assertThat(customer.awaitEnd().getCode()).isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED);
        agent.awaitReceived(r -> ChatFixture.events(agent, "cust", SessionEvent.Type.LEFT) == 1);
        await().atMost(ChatConnection.TIMEOUT).until(() -> streams() == before + 1);

        ChatConnection again = join("cust", ParticipantRole.CUSTOMER);
        again.text("back", "b-1");
        agent.awaitReceived(r ->
                r.stream().anyMatch(p -> p.hasText() && p.getText().getText().equals("back")));
        again.close();
        agent.close();
        await().atMost(ChatConnection.TIMEOUT).until(() -> streams() == before);
    }

    @Test
    void truncatedProtobufIsInvalidArgumentOverTheRealTransport() throws Exception {
        byte[] join = ChannelPacket.newBuilder()
                .setSessionId(session)
                .setJoin(Join.newBuilder().setParticipantId("cust").setRole(Role.CUSTOMER))
                .build()
                .toByteArray();
        byte[] text = ChannelPacket.newBuilder()
                .setText(TextMessage.newBuilder().setText("hello there"))
                .build()
                .toByteArray();
        try (RawStream raw = new RawStream(root.getPort(), TOKENS.issue(session, "cust", ParticipantRole.CUSTOMER))) {
            Status s = raw.send(join).send(Arrays.copyOf(text, text.length - 4)).awaitEnd();
            assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(s.getDescription()).contains("not a valid ChannelPacket");
        }
    }

    private double streams() throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(root, "q/metrics").openConnection();
        c.setRequestProperty("Accept", "text/plain");
        try (InputStream in = c.getInputStream()) {
            Matcher m = STREAMS.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return m.find() ? Double.parseDouble(m.group(1)) : -1;
        }
    }
}
