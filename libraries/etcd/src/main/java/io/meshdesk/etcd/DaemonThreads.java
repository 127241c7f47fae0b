package io.meshdesk.etcd;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way meshdesk makes its background threads: daemons (a watch's retries or a sweep never
 * keep a stopping JVM alive) with a name that says what they do in a thread dump.
 */
public final class DaemonThreads {

    private DaemonThreads() {}

    /** Threads named {@code name}, then {@code name-2}, {@code name-3}, ... when a pool makes more. */
    public static ThreadFactory named(String name) {
        AtomicInteger made = new AtomicInteger();
        return work -> {
            int n = made.incrementAndGet();
            Thread thread = new Thread(work, n == 1 ? name : name + "-" + n);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One daemon thread running scheduled work in order. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }
}
