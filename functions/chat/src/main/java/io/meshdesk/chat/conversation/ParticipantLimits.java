package io.meshdesk.chat.conversation;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What one participant may send, counted over all its streams on this instance: packets and
 * bytes per one-second window, and how many streams it may hold open. A participant opening ten
 * streams gets no more than one would. Thread-safe; never blocks.
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
        private long windowStart;
        private int packets;
        private long bytes;

        private Budget(String key) {
            this.key = key;
        }

        /** Counts one packet of {@code size} bytes; a refusal when the participant is over a limit. */
        public void admit(String participantId, int size) {
            synchronized (ParticipantLimits.this) {
                long now = millis.getAsLong();
                if (now - windowStart >= 1000) {
                    windowStart = now;
                    packets = 0;
                    bytes = 0;
                }
                if (packets + 1 > settings.maxMessagesPerSecond()) {
                    throw new Refusal(
                            Refusal.Kind.RESOURCE_EXHAUSTED,
                            "more than " + settings.maxMessagesPerSecond()
                                    + " messages a second from " + participantId + " (all its streams and packet kinds "
                                    + "together); slow down and reconnect with resume_after_seq");
                }
                if (bytes + size > settings.maxBytesPerSecond()) {
                    throw new Refusal(
                            Refusal.Kind.RESOURCE_EXHAUSTED,
                            "more than " + settings.maxBytesPerSecond() + " bytes a second from " + participantId
                                    + "; slow down and reconnect with resume_after_seq");
                }
                packets++;
                bytes += size;
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

    synchronized int tracked() {
        return budgets.size();
    }
}
