package io.meshdesk.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.etcd.jetcd.KeyValue;
import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.events.EventSink;
import io.meshdesk.token.ParticipantRole;
import io.meshdesk.token.SessionTokens;

/**
 * Chat instances over one real etcd, sessions written as routing writes them, and their clients;
 * registered as an instance extension, it closes them after each test.
 */
final class ChatFixture implements AutoCloseable, AfterEachCallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final SessionTokens TOKENS = new SessionTokens(ChatNode.SECRET, Duration.ofMinutes(10), Clock.systemUTC());

    final EtcdCluster etcd;
    final List<ChatNode> nodes = new CopyOnWriteArrayList<>();
    final List<ChatConnection> clients = new CopyOnWriteArrayList<>();

    /** The fixture's own client: nodes come and go. */
    final BlockingEtcd client;

    ChatFixture(EtcdCluster etcd) {
        this.etcd = etcd;
        this.client = BlockingEtcd.connect(etcd.endpoints(), Duration.ofSeconds(3));
    }

    ChatNode node(ChatSettings settings, EventSink sink) {
        ChatNode node = new ChatNode(etcd, settings, sink);
        nodes.add(node);
        return node;
    }

    static String newSessionId() {
        return "s-" + UUID.randomUUID();
    }

    /** Writes the session key as routing does. agentId null: not assigned (queued), unless closed. */
    void putSession(String sessionId, String state, String customerId, String agentId) throws Exception {
        put(Keyspace.session(sessionId), sessionJson(sessionId, state, customerId, agentId));
    }

    /** The session as routing stores it (channel web; a closed one resolved). */
    static String sessionJson(String sessionId, String state, String customerId, String agentId) {
        ObjectNode session = JSON.createObjectNode()
                .put("sessionId", sessionId)
                .put("state", state)
                .put("channel", "web")
                .put("customerId", customerId)
                .put("agentId", agentId)
                .put("outcome", "closed".equals(state) ? "resolved" : null);
        return session.toString();
    }

    void put(String key, String value) throws Exception {
        client.client()
                .getKVClient()
                .put(Keyspace.bytes(key), Keyspace.bytes(value))
                .get(5, TimeUnit.SECONDS);
    }

    KeyValue get(String key) throws Exception {
        List<KeyValue> kvs = client.client()
                .getKVClient()
                .get(Keyspace.bytes(key))
                .get(5, TimeUnit.SECONDS)
                .getKvs();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    ChatConnection connect(
            ChatNode node, String sessionId, String participant, ParticipantRole role, long resumeAfter) {
        ChatConnection client = new ChatConnection(node.port(), TOKENS.issue(sessionId, participant, role));
        clients.add(client);
        return client.join(
                sessionId, participant, role == ParticipantRole.AGENT ? Role.AGENT : Role.CUSTOMER, resumeAfter);
    }

    static double streams(ChatNode node) {
        return node.registry.find("meshdesk.chat.streams").gauge().value();
    }

    static long events(ChatConnection c, String sender, io.meshdesk.chat.v1.SessionEvent.Type type) {
        return c.received().stream()
                .filter(p -> p.hasEvent() && p.getEvent().getType() == type && sender.equals(p.getSenderId()))
                .count();
    }

    static List<ChannelPacket> stored(List<ChannelPacket> received) {
        return received.stream().filter(p -> p.getSeqNum() > 0).toList();
    }

    /** As an instance {@code @RegisterExtension}: everything the test started goes after it. */
    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        clients.forEach(ChatConnection::close);
        nodes.forEach(ChatNode::close);
        client.close();
    }
}
