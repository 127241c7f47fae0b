package io.meshdesk.chat;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.grpc.Status;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.etcd.testing.EtcdTestResource;
import io.meshdesk.token.ParticipantRole;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged function as Knative runs it: gRPC (h2c) on the HTTP port, beside metrics and health. */
@QuarkusTest
@QuarkusTestResource(EtcdTestResource.class)
@Timeout(60)
class ChatFunctionTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void grpcOnTheHttpPortChecksTokensAndRelaysText() throws Exception {
        RunningChat.putAssignedSession("q-1", "cust", "agent");
        try (ChatConnection anonymous = new ChatConnection(root.getPort(), null)) {
            anonymous.join("q-1", "cust", Role.CUSTOMER, 0);
            assertThat(anonymous.awaitEnd().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        String token = RunningChat.TOKENS.issue("q-1", "cust", ParticipantRole.CUSTOMER);
        try (ChatConnection customer = new ChatConnection(root.getPort(), token)) {
            customer.join("q-1", "cust", Role.CUSTOMER, 0).text("hello from the widget", "w-1");
            customer.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
            ChannelPacket echo = customer.texts().get(0);
            assertThat(echo.getSenderId()).isEqualTo("cust");
            assertThat(echo.getSeqNum()).isPositive();
            assertThat(echo.getTimestampMs()).isPositive();

            String metrics = get("q/metrics");
            // Shared labels (function, version) sort in between: match each series by name and region.
            assertThat(metrics)
                    .containsPattern("meshdesk_chat_streams\\{[^}]*region=\"cn-north\"")
                    .containsPattern("meshdesk_chat_messages_total\\{[^}]*kind=\"text\",[^}]*region=\"cn-north\"")
                    .containsPattern("meshdesk_chat_transcript_handovers_pending\\{[^}]*region=\"cn-north\"")
                    .containsPattern("meshdesk_chat_transcript_handovers_total\\{[^}]*outcome=\"failed\"")
                    .containsPattern("meshdesk_chat_transcript_handover_oldest_pending_seconds\\{[^}]*region=")
                    .contains("grpc_server_");
        }
        assertThat(get("q/health/ready")).contains("\"etcd\"").contains("\"UP\"");
    }

    private String get(String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(root, path).openConnection();
        c.setRequestProperty("Accept", "text/plain");
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
