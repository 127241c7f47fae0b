package io.meshdesk.etcd;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.jboss.logging.Logger;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.Context;

/**
 * Follows every change under a key prefix from a revision on, in revision order. When the
 * watch breaks it resumes from the revision after the last event seen, so nothing is skipped
 * and nothing is seen twice; retries are spaced by the one {@link Backoff} so a closed or
 * absent etcd is not spun on. When etcd no longer has that history (compacted), a watch with a
 * compaction handler stops and hands over to it ({@link PrefixFollower} loads afresh).
 */
public final class PrefixWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PrefixWatch.class);
    private static final ScheduledExecutorService RETRIES = DaemonThreads.scheduler("etcd-watch-retry");

    private final BlockingEtcd etcd;
    private final String prefix;
    private final Consumer<WatchEvent> onEvent;
    private final LongConsumer onCompacted;
    private volatile long nextRevision;
    /** Breaks in a row since the last response: how long the next resumption waits. */
    private final AtomicInteger failures = new AtomicInteger();

    private volatile Watch.Watcher watcher;
    private volatile boolean closed;
    private final AtomicInteger resumptions = new AtomicInteger();

    private PrefixWatch(
            BlockingEtcd etcd,
            String prefix,
            long fromRevision,
            Consumer<WatchEvent> onEvent,
            LongConsumer onCompacted) {
        this.etcd = etcd;
        this.prefix = prefix;
        this.nextRevision = fromRevision;
        this.onEvent = onEvent;
        this.onCompacted = onCompacted;
    }

    /**
     * Delivers every change under prefix with a revision of fromRevision or later. Should etcd
     * compact that history away, the watch keeps trying from where it was (and says so): use
     * {@link PrefixFollower} where a fresh snapshot can make up for it.
     */
    public static PrefixWatch follow(
            BlockingEtcd etcd, String prefix, long fromRevision, Consumer<WatchEvent> onEvent) {
        return follow(etcd, prefix, fromRevision, onEvent, null);
    }

    /** As above; on compaction the watch ends and onCompacted gets etcd's compacted revision. */
    static PrefixWatch follow(
            BlockingEtcd etcd,
            String prefix,
            long fromRevision,
            Consumer<WatchEvent> onEvent,
            LongConsumer onCompacted) {
        PrefixWatch watch = new PrefixWatch(etcd, prefix, fromRevision, onEvent, onCompacted);
        watch.open();
        return watch;
    }

    /** The current etcd revision: a watch from one past it misses nothing a later read does not show. */
    public static long currentRevision(BlockingEtcd etcd, String key) {
        return etcd.await(etcd.kv().get(Keyspace.bytes(key)), "reading the etcd revision")
                .getHeader()
                .getRevision();
    }

    private synchronized void open() {
        if (closed) {
            return;
        }
        try {
            WatchOption option = WatchOption.builder()
                    .isPrefix(true)
                    .withRevision(nextRevision)
                    .build();
            // The watch outlives whoever opened it (a chat stream, a request): opened in the
            // caller's gRPC context it would be cancelled together with that caller's call.
            watcher = Context.ROOT.call(() -> etcd.client()
                    .getWatchClient()
                    .watch(
                            Keyspace.bytes(prefix),
                            option,
                            Watch.listener(
                                    response -> {
                                        failures.set(0);
                                        response.getEvents().forEach(this::deliver);
                                    },
                                    this::broken)));
        } catch (Exception e) {
            broken(e);
        }
    }

    private void deliver(WatchEvent event) {
        if (closed) {
            return;
        }
        nextRevision = Math.max(nextRevision, event.getKeyValue().getModRevision() + 1);
        try {
            onEvent.accept(event);
        } catch (RuntimeException e) {
            LOG.warnf(
                    e,
                    "acting on a change of %s failed",
                    Keyspace.text(event.getKeyValue().getKey()));
        }
    }

    private void broken(Throwable error) {
        if (closed) {
            return;
        }
        if (watcher != null) {
            watcher.close();
        }
        if (error instanceof CompactedException compacted) {
            if (onCompacted != null) {
                close();
                onCompacted.accept(compacted.getCompactedRevision());
                return;
            }
            LOG.errorf(
                    "etcd compacted the history of %s up to revision %d; changes from revision %d up to it are "
                            + "lost to this watch",
                    prefix, compacted.getCompactedRevision(), nextRevision);
            nextRevision = Math.max(nextRevision, compacted.getCompactedRevision());
        }
        Duration wait = Backoff.after(failures.incrementAndGet());
        LOG.warnf(
                "the watch on %s broke (%s); resuming from revision %d in %d ms",
                prefix, error.getMessage(), nextRevision, wait.toMillis());
        resumptions.incrementAndGet();
        RETRIES.schedule(this::open, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How often the watch broke and was resumed since it was opened. */
    public int resumptions() {
        return resumptions.get();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watcher != null) {
            watcher.close();
        }
    }
}
