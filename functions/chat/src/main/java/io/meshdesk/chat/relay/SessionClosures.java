package io.meshdesk.chat.relay;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.etcd.jetcd.watch.WatchEvent;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.PrefixWatch;
import io.meshdesk.etcd.StartupLoad;

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
    private final StartupLoad load = new StartupLoad("chat's watch on session closures");
    private final ScheduledExecutorService starts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chat-closures-watch-start");
        t.setDaemon(true);
        return t;
    });
    private volatile PrefixWatch watch;
    private volatile boolean closed;

    public SessionClosures(BlockingEtcd etcd, BiConsumer<String, JsonNode> onClosed) {
        this.etcd = etcd;
        this.onClosed = onClosed;
    }

    /** Starts watching in the background, so the process starts (and says it is not ready) while etcd is away. */
    public void start() {
        starts.execute(this::follow);
    }

    public StartupLoad load() {
        return load;
    }

    private void follow() {
        if (closed) {
            return;
        }
        try {
            watch = PrefixWatch.follow(etcd, Keyspace.SESSIONS,
                    PrefixWatch.currentRevision(etcd, Keyspace.SESSIONS) + 1, this::onEvent);
            load.loaded();
        } catch (RuntimeException e) {
            LOG.warnf("cannot watch session closures yet (%s); trying again in 1 s", e.getMessage());
            starts.schedule(this::follow, 1, TimeUnit.SECONDS);
        }
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
        closed = true;
        starts.shutdownNow();
        if (watch != null) {
            watch.close();
        }
    }
}
