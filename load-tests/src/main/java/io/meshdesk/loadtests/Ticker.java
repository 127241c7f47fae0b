package io.meshdesk.loadtests;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.meshdesk.etcd.DaemonThreads;

/** Closes every timeline's second once a second while a scenario runs. */
final class Ticker implements AutoCloseable {

    private final ScheduledExecutorService clock = DaemonThreads.scheduler("load-ticker");
    private final List<Timeline> timelines;

    Ticker(List<Timeline> timelines) {
        this.timelines = timelines;
        clock.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        timelines.forEach(Timeline::tick);
    }

    @Override
    public void close() {
        clock.shutdownNow();
        tick();
    }
}
