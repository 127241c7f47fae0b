package io.meshdesk.loadtests;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Closes every timeline's second once a second while a scenario runs. */
final class Ticker implements AutoCloseable {

    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-ticker");
        t.setDaemon(true);
        return t;
    });
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
