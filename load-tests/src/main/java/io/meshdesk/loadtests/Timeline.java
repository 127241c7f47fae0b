package io.meshdesk.loadtests;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one measured operation did over a run: latencies in an HdrHistogram per second (so the
 * report can plot percentiles over time) and for the whole run, with successes and errors.
 */
public final class Timeline {

    /** One second of the run; warm-up seconds are plotted but left out of the run's percentiles. */
    public record Second(
            int second,
            boolean warmUp,
            long count,
            long errors,
            double p50Ms,
            double p95Ms,
            double p99Ms,
            double maxMs) {}

    private final String name;
    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private final AtomicLong errors = new AtomicLong();
    private final List<Second> seconds = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private Histogram interval;
    private long lastErrors;
    private int warmUpSeconds;

    public Timeline(String name) {
        this.name = name;
    }

    /**
     * Leaves the first seconds out of the run's percentiles: JIT compilation and connection
     * set-up on both sides would otherwise dominate a P99 that is about the steady state.
     */
    public Timeline warmUp(int seconds) {
        this.warmUpSeconds = seconds;
        return this;
    }

    public String name() {
        return name;
    }

    public void ok(long latencyNanos) {
        recorder.recordValue(Math.max(1, latencyNanos / 1_000));
    }

    public void error() {
        errors.incrementAndGet();
    }

    /** Closes the current second; the driver calls it once a second. */
    public synchronized void tick() {
        interval = recorder.getIntervalHistogram(interval);
        boolean warmingUp = seconds.size() < warmUpSeconds;
        if (!warmingUp) {
            total.add(interval);
        }
        long err = errors.get();
        seconds.add(new Second(
                seconds.size() + 1,
                warmingUp,
                interval.getTotalCount(),
                err - lastErrors,
                ms(interval, 50),
                ms(interval, 95),
                ms(interval, 99),
                interval.getTotalCount() == 0 ? 0 : interval.getMaxValue() / 1000.0));
        lastErrors = err;
    }

    public synchronized List<Second> seconds() {
        return List.copyOf(seconds);
    }

    public synchronized Histogram total() {
        return total.copy();
    }

    public long errors() {
        return errors.get();
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Percentile of the whole run in milliseconds. */
    public synchronized double percentileMs(double p) {
        return ms(total, p);
    }

    private static double ms(Histogram h, double p) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1000.0;
    }
}
