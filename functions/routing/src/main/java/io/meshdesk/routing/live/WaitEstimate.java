package io.meshdesk.routing.live;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How long a queued customer may still wait: their position divided by the rate at which
 * sessions have left this region's queue lately (assigned or abandoned). Unknown until some
 * have left: a guess from nothing would be a promise nobody made. Owned by the live-updates
 * thread.
 */
final class WaitEstimate {

    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Duration SHORTEST_SPAN = Duration.ofSeconds(30);

    private final Deque<Instant> departures = new ArrayDeque<>();

    void left(int sessions, Instant now) {
        for (int i = 0; i < sessions; i++) {
            departures.addLast(now);
        }
        forgetBefore(now.minus(WINDOW));
    }

    /** Seconds until a session at this 1-based position is served, or null when unknown. */
    Long secondsFor(int position, Instant now) {
        forgetBefore(now.minus(WINDOW));
        if (departures.isEmpty()) {
            return null;
        }
        Duration span = Duration.between(departures.peekFirst(), now);
        if (span.compareTo(SHORTEST_SPAN) < 0) {
            span = SHORTEST_SPAN;
        }
        double perSecond = departures.size() / (span.toMillis() / 1000.0);
        return Math.round(position / perSecond);
    }

    private void forgetBefore(Instant cutoff) {
        while (!departures.isEmpty() && departures.peekFirst().isBefore(cutoff)) {
            departures.pollFirst();
        }
    }
}
