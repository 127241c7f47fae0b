package io.meshdesk.routing.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.meshdesk.routing.settings.RoutingSettings;
import io.meshdesk.routing.state.RegionView;
import io.meshdesk.routing.state.Versioned;
import io.meshdesk.session.contract.Priority;
import io.meshdesk.session.contract.SessionRecord;

/**
 * What {@code queue-status} answers for one region: sessions waiting per band they are served
 * in (standard sessions that aged count as premium, and are also counted in {@code aged}), and
 * how long the oldest has waited.
 */
public record QueueStatus(
        String region, Map<Priority, Integer> depth, int aged, int waiting, double oldestWaitSeconds) {

    /** The queue of the settings' region as the view sees it now. */
    public static QueueStatus of(RegionView view, RoutingSettings settings, Instant now) {
        return of(settings.region(), view, now, settings.agingAfter());
    }

    public static QueueStatus of(String region, RegionView view, Instant now, Duration agingAfter) {
        List<Versioned<SessionRecord>> queue = view.queueInOrder(now, agingAfter);
        int premium = 0;
        int aged = 0;
        Instant oldest = null;
        for (Versioned<SessionRecord> q : queue) {
            SessionRecord s = q.value();
            if (s.servedAsPremium(now, agingAfter)) {
                premium++;
                if (s.priority() != Priority.PREMIUM) {
                    aged++;
                }
            }
            if (oldest == null || s.enqueuedAt().isBefore(oldest)) {
                oldest = s.enqueuedAt();
            }
        }
        double oldestWait = oldest == null ? 0 : Duration.between(oldest, now).toMillis() / 1000.0;
        return new QueueStatus(
                region,
                Map.of(Priority.PREMIUM, premium, Priority.STANDARD, queue.size() - premium),
                aged,
                queue.size(),
                oldestWait);
    }
}
