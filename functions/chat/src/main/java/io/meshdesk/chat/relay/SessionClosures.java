package io.meshdesk.chat.relay;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.meshdesk.chat.relay.SessionDirectory.SessionInfo;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.DaemonThreads;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.PrefixFollower;
import io.meshdesk.etcd.StartupLoad;

/**
 * Follows routing's session keys ({@link PrefixFollower}): every change (an assignment, a
 * re-assignment, a close) goes to the listener, which ends the streams of participants who no
 * longer belong and, on close, hands over the transcript. Every chat instance follows; what must
 * happen once is decided by a transaction, not by who heard first. The listener runs on the
 * follower's threads and must not block.
 */
public final class SessionClosures implements PrefixFollower.Listener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SessionClosures.class);

    private final BlockingEtcd etcd;
    private final Consumer<SessionInfo> onChange;
    private final StartupLoad load = new StartupLoad("chat's watch on sessions");
    /** What runs once the watch is on: it blocks on etcd, so not on the follower's thread. */
    private final ExecutorService afterStart =
            Executors.newSingleThreadExecutor(DaemonThreads.named("chat-sessions-start"));

    private volatile Runnable thenRun;
    private volatile PrefixFollower follower;
    /** Owned by the listener calls (one at a time): the revision chat has acted up to. */
    private long seen;

    public SessionClosures(BlockingEtcd etcd, Consumer<SessionInfo> onChange) {
        this.etcd = etcd;
        this.onChange = onChange;
    }

    /**
     * Starts following in the background, so the process starts (and says it is not ready) while
     * etcd is away; {@code thenRun} runs on a background thread once the sessions are followed.
     */
    public void start(Runnable thenRun) {
        this.thenRun = thenRun;
        follower = PrefixFollower.start(etcd, Keyspace.SESSIONS, this);
    }

    public StartupLoad load() {
        return load;
    }

    /**
     * The first snapshot only marks where chat starts: closes before it are the handover sweep's
     * to find. A later one (etcd compacted what the watch missed) stands for the changes missed.
     */
    @Override
    public void snapshot(List<KeyValue> kvs, long revision) {
        if (load.isLoaded()) {
            for (KeyValue kv : kvs) {
                if (kv.getModRevision() > seen) {
                    act(kv);
                }
            }
        } else {
            load.loaded();
            afterStart.execute(thenRun);
        }
        seen = revision;
    }

    @Override
    public void changed(WatchEvent event) {
        seen = Math.max(seen, event.getKeyValue().getModRevision());
        if (event.getEventType() == WatchEvent.EventType.PUT) {
            act(event.getKeyValue());
        }
    }

    private void act(KeyValue kv) {
        String key = Keyspace.text(kv.getKey());
        try {
            onChange.accept(SessionInfo.parse(
                    key.substring(Keyspace.SESSIONS.length()), kv.getValue().getBytes()));
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not act on the session change at %s", key);
        }
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
        afterStart.shutdownNow();
    }
}
