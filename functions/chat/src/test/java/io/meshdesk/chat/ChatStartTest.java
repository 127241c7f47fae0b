package io.meshdesk.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.grpc.Status;
import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.events.EventSink;
import io.meshdesk.token.ParticipantRole;
import io.meshdesk.token.SessionTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A chat instance whose etcd is away when it starts: it starts anyway (a pod that crash-loops
 * helps nobody), refuses joins with UNAVAILABLE saying why, and serves once etcd is back.
 */
@Timeout(90)
class ChatStartTest {

    private final SessionTokens tokens = new SessionTokens(ChatNode.SECRET, Duration.ofMinutes(10), Clock.systemUTC());

    @Test
    void startsWithoutEtcdAndServesOnceItIsBack() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.single()) {
            etcd.kill(0);
            ChatSettings settings = ChatSettings.defaults("cn-north").withMaxMessagesPerSecond(100);
            try (ChatNode node = new ChatNode(etcd, settings, EventSink.NONE)) {
                assertThat(node.chat.startupLoad().isLoaded()).isFalse();
                try (ChatConnection early = join(node, "s-early")) {
                    Status refused = early.awaitEnd();
                    assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(refused.getDescription()).contains("watch on sessions", "etcd");
                }

                etcd.restart(0);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> node.chat.startupLoad().isLoaded());
                node.etcd
                        .client()
                        .getKVClient()
                        .put(
                                Keyspace.bytes(Keyspace.session("s-late")),
                                Keyspace.bytes(
                                        "{\"sessionId\":\"s-late\",\"state\":\"assigned\",\"channel\":\"web\",\"customerId\":\"cust\","
                                                + "\"agentId\":\"agent\",\"outcome\":null}"))
                        .get(5, TimeUnit.SECONDS);
                try (ChatConnection late = join(node, "s-late")) {
                    late.awaitReceived(r -> r.stream().anyMatch(p -> p.hasEvent()));
                    assertThat(late.end()).isNull();
                }
            }
        }
    }

    private ChatConnection join(ChatNode node, String session) {
        return new ChatConnection(node.port(), tokens.issue(session, "cust", ParticipantRole.CUSTOMER))
                .join(session, "cust", Role.CUSTOMER, 0);
    }
}
