package io.meshdesk.chat;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.relay.ChatLog;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.TextMessage;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.events.EventSink;
import io.meshdesk.token.ParticipantRole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15, chat: the keys of one session never match another's prefix, legacy counters are
 * migrated, and a conversation larger than one etcd response (4 MiB) is read in pages.
 */
@Timeout(120)
class ChatKeyspaceTest extends ChatOverEtcd {

    ChatNode node;

    @BeforeEach
    void start() {
        node = chat.node(
                ChatSettings.defaults("cn-north")
                        .withMaxMessagesPerSecond(10_000)
                        .withMaxBytesPerSecond(100 << 20),
                EventSink.NONE);
    }

    List<KeyValue> keysOf(String prefix) throws Exception {
        return node.etcd
                .client()
                .getKVClient()
                .get(Keyspace.bytes(prefix), GetOption.builder().isPrefix(true).build())
                .get(5, TimeUnit.SECONDS)
                .getKvs();
    }

    @Test
    void closingS1NeverRebindsTheCounterOfS10() throws Exception {
        String base = "k" + UUID.randomUUID().toString().substring(0, 8);
        String s1 = base + "-1";
        String s10 = base + "-10";
        chat.putSession(s1, "assigned", "cust", "agent");
        chat.putSession(s10, "assigned", "cust", "agent");
        ChatConnection one = chat.connect(node, s1, "cust", ParticipantRole.CUSTOMER, 0);
        ChatConnection ten = chat.connect(node, s10, "cust", ParticipantRole.CUSTOMER, 0);
        one.text("in s-1", "x-1");
        ten.text("in s-10", "x-1");
        one.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
        ten.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));

        chat.putSession(s1, "closed", "cust", "agent");
        await().atMost(ChatConnection.TIMEOUT)
                .until(() -> chat.get(Keyspace.chatCounter(s1)).getLease() != 0);

        for (String prefix : Keyspace.chatPrefixes(s10)) {
            assertThat(keysOf(prefix))
                    .as(prefix)
                    .allSatisfy(kv -> assertThat(kv.getLease()).isZero());
        }
        assertThat(keysOf(Keyspace.CHAT_COUNTER + s10)).as("s-10's counter").isNotEmpty();
        assertThat(ten.end()).isNull();
        ten.text("still s-10", "x-2");
        ten.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 2);
        assertThat(ten.texts().get(1).getSeqNum())
                .isGreaterThan(ten.texts().get(0).getSeqNum());
    }

    @Test
    void legacyCountersAreMovedAndAnOldInstanceCannotRestartTheLog() throws Exception {
        String sessionId = ChatFixture.newSessionId();
        chat.putSession(sessionId, "assigned", "cust", "agent");
        // The old layout: chat-seq/<id> with no terminator, three packets stored.
        for (int seq = 1; seq <= 3; seq++) {
            ChannelPacket p = ChannelPacket.newBuilder()
                    .setSessionId(sessionId)
                    .setSeqNum(seq)
                    .setSenderId("cust")
                    .setText(TextMessage.newBuilder().setText("old " + seq))
                    .build();
            node.etcd
                    .client()
                    .getKVClient()
                    .put(
                            Keyspace.bytes(Keyspace.chatLog(sessionId) + String.format("%012d", seq)),
                            ByteSequence.from(p.toByteArray()))
                    .get(5, TimeUnit.SECONDS);
        }
        chat.put(Keyspace.chatSeqLegacy(sessionId), "3");

        // A new instance moves it at start.
        ChatNode upgraded = chat.node(node.chat.settings(), EventSink.NONE);
        await().atMost(ChatConnection.TIMEOUT).until(() -> chat.get(Keyspace.chatCounter(sessionId)) != null);
        assertThat(Keyspace.text(chat.get(Keyspace.chatCounter(sessionId)).getValue()))
                .startsWith("3 ");
        assertThat(Keyspace.text(chat.get(Keyspace.chatSeqLegacy(sessionId)).getValue()))
                .as("what an old instance would read: not a number, so it cannot start again at 1")
                .isEqualTo(Keyspace.CHAT_SEQ_MOVED);

        ChatConnection c = chat.connect(upgraded, sessionId, "cust", ParticipantRole.CUSTOMER, 0);
        c.text("new", "n-1");
        c.awaitReceived(r ->
                r.stream().anyMatch(p -> p.hasText() && p.getText().getText().equals("new")));
        assertThat(c.texts()).extracting(p -> p.getText().getText()).containsExactly("old 1", "old 2", "old 3", "new");
        // 4 is the JOINED event of this stream: the log goes on after the migrated 3.
        assertThat(ChatFixture.stored(c.received()))
                .extracting(ChannelPacket::getSeqNum)
                .containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aConversationLargerThanOneEtcdResponseIsReadInPages() throws Exception {
        String sessionId = ChatFixture.newSessionId();
        chat.putSession(sessionId, "assigned", "cust", "agent");
        ChatLog log = new ChatLog(node.etcd, Clock.systemUTC(), 64L << 20);
        ChannelPacket text = ChannelPacket.newBuilder()
                .setSenderId("cust")
                .setText(TextMessage.newBuilder().setText("y".repeat(4096)))
                .build();
        // 1,100 texts at the 4,096-byte maximum: past jetcd's 4 MiB response cap.
        for (int i = 0; i < 1100; i++) {
            log.append(sessionId, text, null, true);
        }
        assertThat(log.bytesStored(sessionId)).isGreaterThan(4L << 20);

        ChatConnection agent = chat.connect(node, sessionId, "agent", ParticipantRole.AGENT, 0);
        agent.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 1100);
        ChatFixture.stored(agent.received())
                .forEach(p -> assertThat(p.getSeqNum()).isPositive());
        assertThat(agent.end()).isNull();

        ChatConnection resumed = chat.connect(node, sessionId, "cust", ParticipantRole.CUSTOMER, 1000);
        resumed.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 100);
        assertThat(resumed.texts().get(0).getSeqNum()).isEqualTo(1001);
    }
}
