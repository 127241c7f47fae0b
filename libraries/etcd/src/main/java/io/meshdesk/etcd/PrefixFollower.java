package io.meshdesk.etcd;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;

/**
 * Keeps an owner in step with everything under a key prefix: a snapshot of the prefix at a
 * revision, then every change from the next revision on, in order ({@link PrefixWatch}, which
 * resumes a broken watch where it stopped). When etcd is away the snapshot is tried again with
 * the one {@link Backoff}; when etcd has compacted the history the watch needs (a watch that was
 * away too long), the owner gets a fresh snapshot and the watch goes on after it.
 *
 * <p>The listener is called from one thread at a time, snapshot first; changes arrive in
 * revision order, never older than the last snapshot. It must not block: it runs on the
 * follower's thread (snapshots) or on etcd's watch thread (changes).
 */
public final class PrefixFollower implements AutoCloseable {

    /** What the owner hears. */
    public interface Listener {
        /**
         * Everything under the prefix at this revision: the first load, and again after a
         * compaction (then, keys missing from it were deleted meanwhile).
         */
        void snapshot(List<KeyValue> kvs, long revision);

        /** One change after the last snapshot. */
        void changed(WatchEvent event);
    }

    private static final Logger LOG = Logger.getLogger(PrefixFollower.class);
    private static final ScheduledExecutorService SNAPSHOTS = DaemonThreads.scheduler("etcd-follow");

    private final BlockingEtcd etcd;
    private final String prefix;
    private final Listener listener;
    /** Guarded by this: the watch after the last snapshot, replaced after a compaction. */
    private PrefixWatch watch;
    /** Guarded by this: which watch may deliver (a closed one's last events are dropped). */
    private int generation;

    private volatile boolean closed;
    private volatile int snapshots;
    /** Owned by the snapshot thread: loads that failed in a row. */
    private int failures;

    private PrefixFollower(BlockingEtcd etcd, String prefix, Listener listener) {
        this.etcd = etcd;
        this.prefix = prefix;
        this.listener = listener;
    }

    /** Starts following in the background: the call returns at once, the snapshot comes when etcd answers. */
    public static PrefixFollower start(BlockingEtcd etcd, String prefix, Listener listener) {
        PrefixFollower follower = new PrefixFollower(etcd, prefix, listener);
        SNAPSHOTS.execute(follower::snapshot);
        return follower;
    }

    private void snapshot() {
        if (closed) {
            return;
        }
        try {
            GetResponse current = etcd.getPrefix(prefix, "loading " + prefix);
            long revision = current.getHeader().getRevision();
            synchronized (this) {
                if (closed) {
                    return;
                }
                listener.snapshot(current.getKvs(), revision);
                snapshots++;
                failures = 0;
                int mine = ++generation;
                watch = PrefixWatch.follow(etcd, prefix, revision + 1, event -> changed(mine, event), this::compacted);
            }
        } catch (RuntimeException e) {
            Duration wait = Backoff.after(++failures);
            LOG.warnf(
                    "cannot load %s from etcd yet (%s); trying again in %d ms",
                    prefix, e.getMessage(), wait.toMillis());
            SNAPSHOTS.schedule(this::snapshot, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Under the lock, so a change never overlaps a snapshot. */
    private synchronized void changed(int from, WatchEvent event) {
        if (!closed && from == generation) {
            listener.changed(event);
        }
    }

    /** The watch needs history etcd no longer has: load the prefix afresh and go on from there. */
    private void compacted(long compactedRevision) {
        LOG.warnf(
                "etcd compacted the history of %s up to revision %d while the watch was away; loading it afresh",
                prefix, compactedRevision);
        synchronized (this) {
            generation++;
            if (watch != null) {
                watch.close();
            }
        }
        SNAPSHOTS.execute(this::snapshot);
    }

    /** How many snapshots the listener got (1 after the first load; more after compactions). */
    public int snapshots() {
        return snapshots;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watch != null) {
            watch.close();
        }
    }
}
