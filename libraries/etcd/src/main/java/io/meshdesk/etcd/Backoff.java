package io.meshdesk.etcd;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before trying etcd again after a failure: doubling from {@link #FIRST} to
 * {@link #LONGEST}, with jitter so that many instances that lost etcd together do not come back
 * in step. The one policy for every watch and follower, so they recover alike.
 */
public final class Backoff {

    public static final Duration FIRST = Duration.ofMillis(250);
    public static final Duration LONGEST = Duration.ofSeconds(5);

    private Backoff() {}

    /** The wait after the given number of failures in a row (1 for the first). */
    public static Duration after(int failures) {
        long base = FIRST.toMillis() << Math.min(10, Math.max(0, failures - 1));
        long capped = Math.min(base, LONGEST.toMillis());
        return Duration.ofMillis((long) (capped * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }
}
