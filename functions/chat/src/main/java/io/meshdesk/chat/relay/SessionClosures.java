package io.meshdesk.chat.relay;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.etcd.jetcd.watch.WatchEvent;
import io.meshdesk.chat.relay.SessionDirectory.SessionInfo;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.PrefixWatch;
import io.meshdesk.etcd.StartupLoad;

/**
 * Follows routing's session keys by watch: every change (an assignment, a re-assignment, a
 * close) goes to the listener, which ends the streams of participants who no longer belong and,
 * on close, hands over the transcript. Every chat instance watches; what must happen once is
 * decided by a transaction, not by who heard first. The listener runs on the watch thread and
 * must not block.
 */
public final class SessionClosures implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SessionClosures.class);

    private final BlockingEtcd etcd;
    private final Consumer<SessionInfo> onChange;
    private final StartupLoad load = new StartupLoad("chat's watch on sessions");
    private final ScheduledExecutorService starts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chat-sessions-watch-start");
        t.setDaemon(true);
        return t;
    });
    private volatile PrefixWatch watch;
    private volatile boolean closed;

    public SessionClosures(BlockingEtcd etcd, Consumer<SessionInfo> onChange) {
        this.etcd = etcd;
        this.onChange = onChange;
    }

    /**
     * Starts watching in the background, so the process starts (and says it is not ready) while
     * etcd is away; {@code thenRun} runs on the same background thread once the watch is open.
     */
    public void start(Runnable thenRun) {
        starts.execute(() -> follow(thenRun));
    }

    public StartupLoad load() {
        return load;
    }

    private void follow(Runnable thenRun) {
        if (closed) {
            return;
        }
        try {
            watch = PrefixWatch.follow(
                    etcd, Keyspace.SESSIONS, PrefixWatch.currentRevision(etcd, Keyspace.SESSIONS) + 1, this::onEvent);
            load.loaded();
        } catch (RuntimeException e) {
            LOG.warnf("cannot watch sessions yet (%s); trying again in 1 s", e.getMessage());
            starts.schedule(() -> follow(thenRun), 1, TimeUnit.SECONDS);
            return;
        }
        thenRun.run();
    }

    private void onEvent(WatchEvent event) {
        if (event.getEventType() != WatchEvent.EventType.PUT) {
            return;
        }
        String key = Keyspace.text(event.getKeyValue().getKey());
        try {
            onChange.accept(SessionInfo.parse(
                    key.substring(Keyspace.SESSIONS.length()),
                    event.getKeyValue().getValue().getBytes()));
        } catch (RuntimeException e) {
            LOG.warnf("could not act on a session change at %s: %s", key, e.getMessage());
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
