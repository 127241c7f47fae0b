package io.meshdesk.etcd;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.Context;

/**
 * Follows every change under a key prefix from a revision on, in revision order. When the
 * watch breaks it resumes from the revision after the last event seen, so nothing is skipped
 * and nothing is seen twice; retries are spaced so a closed or absent etcd is not spun on.
 */
public final class PrefixWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PrefixWatch.class);
    private static final ScheduledExecutorService RETRIES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "etcd-watch-retry");
        t.setDaemon(true);
        return t;
    });

    private final BlockingEtcd etcd;
    private final String prefix;
    private final Consumer<WatchEvent> onEvent;
    private volatile long nextRevision;
    private volatile Watch.Watcher watcher;
    private volatile boolean closed;
    private final AtomicInteger resumptions = new AtomicInteger();

    private PrefixWatch(BlockingEtcd etcd, String prefix, long fromRevision, Consumer<WatchEvent> onEvent) {
        this.etcd = etcd;
        this.prefix = prefix;
        this.nextRevision = fromRevision;
        this.onEvent = onEvent;
    }

    /** Delivers every change under prefix with a revision of fromRevision or later. */
    public static PrefixWatch follow(
            BlockingEtcd etcd, String prefix, long fromRevision, Consumer<WatchEvent> onEvent) {
        PrefixWatch watch = new PrefixWatch(etcd, prefix, fromRevision, onEvent);
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
                            Watch.listener(response -> response.getEvents().forEach(this::deliver), this::broken)));
        } catch (Exception e) {
            broken(e);
        }
    }

    private void deliver(WatchEvent event) {
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
        LOG.warnf(
                "the watch on %s broke (%s); resuming from revision %d in 500 ms",
                prefix, error.getMessage(), nextRevision);
        if (watcher != null) {
            watcher.close();
        }
        resumptions.incrementAndGet();
        RETRIES.schedule(this::open, 500, TimeUnit.MILLISECONDS);
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
