package io.meshdesk.loadtests;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Completions per second after a warm-up: JIT compilation and connection set-up in the first
 * seconds would otherwise weigh on a rate that is about the steady state.
 */
final class SteadyRate {

    private final long warmUpEnd;
    private final AtomicLong counted = new AtomicLong();
    private volatile long lastNanos;

    SteadyRate(Duration warmUp) {
        this.warmUpEnd = System.nanoTime() + warmUp.toNanos();
    }

    boolean warmingUp() {
        return System.nanoTime() < warmUpEnd;
    }

    void completed() {
        long now = System.nanoTime();
        if (now >= warmUpEnd) {
            counted.incrementAndGet();
            lastNanos = now;
        }
    }

    long counted() {
        return counted.get();
    }

    /** Over the time from the end of the warm-up to the last completion; 0 if the run ended warming up. */
    double perSecond() {
        long n = counted.get();
        return n == 0 ? 0 : n / Math.max(1e-9, (lastNanos - warmUpEnd) / 1e9);
    }
}
