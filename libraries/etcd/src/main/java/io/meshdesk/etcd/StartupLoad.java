package io.meshdesk.etcd;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * State a function loads from etcd after it has started, so that start-up (and a Knative
 * cold start) does not wait on etcd and a function whose etcd is away still starts and says
 * so on its readiness probe. A request that needs the state waits a moment for it and is then
 * told ({@link EtcdUnavailableException}, a 503) to come back.
 */
public final class StartupLoad {

    /** Long enough to cover a load right after start, short of a caller's own timeout. */
    private static final Duration PATIENCE = Duration.ofSeconds(3);

    private final String what;
    private final CountDownLatch loaded = new CountDownLatch(1);

    /** what: the state, as a person would name it ("the region's agents and queues"). */
    public StartupLoad(String what) {
        this.what = what;
    }

    public String what() {
        return what;
    }

    public void loaded() {
        loaded.countDown();
    }

    public boolean isLoaded() {
        return loaded.getCount() == 0;
    }

    /** Returns once loaded; waits a few seconds at most, then throws {@link EtcdUnavailableException}. */
    public void await() {
        try {
            if (loaded.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new EtcdUnavailableException(
                what + " is not loaded from etcd yet (is etcd reachable?); try again in a moment", null);
    }
}
