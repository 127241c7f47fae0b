package io.meshdesk.chat.relay;

import java.io.IOException;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.etcd.jetcd.watch.WatchEvent;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.PrefixWatch;

/**
 * Learns from routing's session keys when a session closes, by watch: chat then ends the
 * session's streams and hands over its transcript. Every chat instance watches; what must
 * happen once is decided by a transaction, not by who heard first.
 */
public final class SessionClosures implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SessionClosures.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingEtcd etcd;
    private final BiConsumer<String, JsonNode> onClosed;
    private volatile PrefixWatch watch;

    public SessionClosures(BlockingEtcd etcd, BiConsumer<String, JsonNode> onClosed) {
        this.etcd = etcd;
        this.onClosed = onClosed;
    }

    public void start() {
        watch = PrefixWatch.follow(etcd, Keyspace.SESSIONS, PrefixWatch.currentRevision(etcd, Keyspace.SESSIONS) + 1,
                this::onEvent);
    }

    private void onEvent(WatchEvent event) {
        if (event.getEventType() != WatchEvent.EventType.PUT) {
            return;
        }
        try {
            JsonNode session = JSON.readTree(event.getKeyValue().getValue().getBytes());
            if ("closed".equals(session.path("state").asText())) {
                onClosed.accept(session.path("sessionId").asText(), session);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not act on a session change at %s: %s", Keyspace.text(event.getKeyValue().getKey()),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
    }
}
