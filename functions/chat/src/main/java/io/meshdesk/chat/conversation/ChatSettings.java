package io.meshdesk.chat.conversation;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The limits of the chat channel; from configuration ({@code meshdesk.chat.*}), or built by tests
 * from {@link #defaults} with the {@code with...} methods.
 *
 * @param maxPacketBytes longest packet a participant may send, of any kind, unknown fields included
 * @param maxBytesPerSecond bytes one participant may send per second, over all its streams
 * @param outboundBufferBytes bytes held for a participant that does not read before its stream is cut
 * @param maxSessionBytes bytes one session's log may hold; past it, nothing more can be sent in it
 */
public record ChatSettings(
        String region,
        int maxTextBytes,
        int maxMessagesPerSecond,
        int outboundBufferBytes,
        Duration retention,
        int maxPacketBytes,
        int maxSignalBytes,
        int maxClientMsgIdBytes,
        int maxBytesPerSecond,
        long maxSessionBytes,
        int maxStreamsPerParticipant,
        Handover handover) {

    /**
     * How closed sessions' transcripts are handed to ticketing: retried until acknowledged.
     *
     * @param attemptTimeout how long one attempt may take before it counts as failed; an instance
     *        that died mid-attempt leaves it to others after this long
     */
    public record Handover(
            Duration initialBackoff, Duration maxBackoff, Duration sweepInterval, Duration attemptTimeout) {}

    public static ChatSettings defaults(String region) {
        return new ChatSettings(
                region,
                4096,
                20,
                1 << 20,
                Duration.ofHours(24),
                20 * 1024,
                16 * 1024,
                128,
                128 * 1024,
                4L << 20,
                4,
                new Handover(
                        Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofSeconds(30)));
    }

    public ChatSettings withMaxMessagesPerSecond(int perSecond) {
        return with(b -> b.maxMessagesPerSecond = perSecond);
    }

    public ChatSettings withMaxBytesPerSecond(int perSecond) {
        return with(b -> b.maxBytesPerSecond = perSecond);
    }

    public ChatSettings withOutboundBufferBytes(int bytes) {
        return with(b -> b.outboundBufferBytes = bytes);
    }

    public ChatSettings withRetention(Duration keep) {
        return with(b -> b.retention = keep);
    }

    public ChatSettings withMaxSessionBytes(long bytes) {
        return with(b -> b.maxSessionBytes = bytes);
    }

    public ChatSettings withHandover(Handover h) {
        return with(b -> b.handover = h);
    }

    /** These settings with one change: every wither is one line, and a new field is added in one place. */
    private ChatSettings with(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** A mutable copy, for {@link #with} only. */
    private static final class Copy {
        private final String region;
        private final int maxTextBytes;
        private int maxMessagesPerSecond;
        private int outboundBufferBytes;
        private Duration retention;
        private final int maxPacketBytes;
        private final int maxSignalBytes;
        private final int maxClientMsgIdBytes;
        private int maxBytesPerSecond;
        private long maxSessionBytes;
        private final int maxStreamsPerParticipant;
        private Handover handover;

        private Copy(ChatSettings s) {
            region = s.region;
            maxTextBytes = s.maxTextBytes;
            maxMessagesPerSecond = s.maxMessagesPerSecond;
            outboundBufferBytes = s.outboundBufferBytes;
            retention = s.retention;
            maxPacketBytes = s.maxPacketBytes;
            maxSignalBytes = s.maxSignalBytes;
            maxClientMsgIdBytes = s.maxClientMsgIdBytes;
            maxBytesPerSecond = s.maxBytesPerSecond;
            maxSessionBytes = s.maxSessionBytes;
            maxStreamsPerParticipant = s.maxStreamsPerParticipant;
            handover = s.handover;
        }

        private ChatSettings build() {
            return new ChatSettings(
                    region,
                    maxTextBytes,
                    maxMessagesPerSecond,
                    outboundBufferBytes,
                    retention,
                    maxPacketBytes,
                    maxSignalBytes,
                    maxClientMsgIdBytes,
                    maxBytesPerSecond,
                    maxSessionBytes,
                    maxStreamsPerParticipant,
                    handover);
        }
    }
}
