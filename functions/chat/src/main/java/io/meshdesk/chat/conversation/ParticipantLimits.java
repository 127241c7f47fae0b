package io.meshdesk.chat.conversation;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What one participant may send, counted over all its streams on this instance: packets and
 * bytes a second, and how many streams it may hold open. A participant opening ten streams gets
 * no more than one would. Thread-safe; never blocks.
 *
 * <p>The rates are token buckets holding one second's worth, refilled continuously: a flood is
 * cut after one second's worth, while an honest sender under the rate is never cut when this
 * instance handles its packets in bunches (a slow etcd, a pause). Fixed one-second windows
 * counted packets when they were handled, not when they were sent, and cut a sender of 15 a
 * second whenever a late batch and the next one fell into one window.
 */
public final class ParticipantLimits {

    private final ChatSettings settings;
    private final LongSupplier millis;
    private final Map<String, Budget> budgets = new HashMap<>();

    public ParticipantLimits(ChatSettings settings, LongSupplier millis) {
        this.settings = settings;
        this.millis = millis;
    }

    /** One participant's counters; shared by its streams while any is open. */
    public final class Budget {
        private final String key;
        private int streams;
        /** Guarded by the limits: what the buckets hold, as of {@code refilledAt}. */
        private double packets = settings.maxMessagesPerSecond();

        private double bytes = settings.maxBytesPerSecond();
        private long refilledAt = millis.getAsLong();

        private Budget(String key) {
            this.key = key;
        }

        /** Counts one packet of {@code size} bytes; a refusal when the participant is over a limit. */
        public void admit(String participantId, int size) {
            synchronized (ParticipantLimits.this) {
                long now = millis.getAsLong();
                double seconds = Math.max(0, now - refilledAt) / 1000.0;
                refilledAt = now;
                packets =
                        Math.min(settings.maxMessagesPerSecond(), packets + seconds * settings.maxMessagesPerSecond());
                bytes = Math.min(settings.maxBytesPerSecond(), bytes + seconds * settings.maxBytesPerSecond());
                if (packets < 1) {
                    throw new Refusal(
                            Refusal.Kind.RESOURCE_EXHAUSTED,
                            "more than " + settings.maxMessagesPerSecond()
                                    + " messages a second from " + participantId + " (all its streams and packet kinds "
                                    + "together); slow down and reconnect with resume_after_seq");
                }
                if (bytes < size) {
                    throw new Refusal(
                            Refusal.Kind.RESOURCE_EXHAUSTED,
                            "more than " + settings.maxBytesPerSecond() + " bytes a second from " + participantId
                                    + "; slow down and reconnect with resume_after_seq");
                }
                packets -= 1;
                bytes -= size;
            }
        }
    }

    /** Takes a stream slot for the participant; a refusal when it has too many open. */
    public synchronized Budget open(String sessionId, String participantId) {
        String key = sessionId + "/" + participantId;
        Budget budget = budgets.computeIfAbsent(key, Budget::new);
        if (budget.streams >= settings.maxStreamsPerParticipant()) {
            throw new Refusal(
                    Refusal.Kind.RESOURCE_EXHAUSTED,
                    participantId + " has "
                            + budget.streams + " streams open in session " + sessionId
                            + " on this instance, the most allowed; "
                            + "close one before opening another");
        }
        budget.streams++;
        return budget;
    }

    /** Gives the stream slot back; the counters go when the participant's last stream does. */
    public synchronized void close(Budget budget) {
        if (--budget.streams <= 0) {
            budgets.remove(budget.key, budget);
        }
    }
}
