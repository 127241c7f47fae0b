package io.meshdesk.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Drives items 0..count-1 through a pool of workers, each item retried (after a short pause) until
 * it is acknowledged or the deadline passes, and runs the fault once a third of them are
 * acknowledged: the fault always lands with traffic before and after it.
 */
final class FaultDuringTraffic {

    /** One attempt at item n by the given worker; true once the item is acknowledged. */
    @FunctionalInterface
    interface Attempt {
        boolean acknowledged(int worker, int n) throws Exception;
    }

    private FaultDuringTraffic() {}

    /** Returns whether the fault ran (a third were acknowledged before the deadline). */
    static boolean run(int count, int concurrency, Duration deadline, Runnable fault, Attempt attempt)
            throws Exception {
        CountDownLatch third = new CountDownLatch(Math.max(1, count / 3));
        AtomicInteger next = new AtomicInteger();
        long end = System.nanoTime() + deadline.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                int worker = w;
                workers.add(pool.submit(() -> {
                    for (int n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
                        long left = end - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        int item = n;
                        try {
                            // Retried every 100 ms until acknowledged; past the deadline the item
                            // stays unacknowledged and the caller's checks say so.
                            Awaitility.await()
                                    .atMost(Duration.ofNanos(left))
                                    .pollInSameThread()
                                    .pollDelay(Duration.ZERO)
                                    .pollInterval(Duration.ofMillis(100))
                                    .until(() -> attempt.acknowledged(worker, item));
                            third.countDown();
                        } catch (ConditionTimeoutException e) {
                            break;
                        }
                    }
                    return null;
                }));
            }
            boolean reached = third.await(deadline.toSeconds(), TimeUnit.SECONDS);
            if (reached) {
                fault.run();
            }
            for (Future<?> f : workers) {
                f.get(deadline.toSeconds() + Http.CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            return reached;
        } finally {
            pool.shutdownNow();
        }
    }
}
