package io.meshdesk.chat.conversation;

import java.time.Duration;

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
        return new ChatSettings(
                region,
                maxTextBytes,
                perSecond,
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

    public ChatSettings withMaxBytesPerSecond(int perSecond) {
        return new ChatSettings(
                region,
                maxTextBytes,
                maxMessagesPerSecond,
                outboundBufferBytes,
                retention,
                maxPacketBytes,
                maxSignalBytes,
                maxClientMsgIdBytes,
                perSecond,
                maxSessionBytes,
                maxStreamsPerParticipant,
                handover);
    }

    public ChatSettings withOutboundBufferBytes(int bytes) {
        return new ChatSettings(
                region,
                maxTextBytes,
                maxMessagesPerSecond,
                bytes,
                retention,
                maxPacketBytes,
                maxSignalBytes,
                maxClientMsgIdBytes,
                maxBytesPerSecond,
                maxSessionBytes,
                maxStreamsPerParticipant,
                handover);
    }

    public ChatSettings withRetention(Duration keep) {
        return new ChatSettings(
                region,
                maxTextBytes,
                maxMessagesPerSecond,
                outboundBufferBytes,
                keep,
                maxPacketBytes,
                maxSignalBytes,
                maxClientMsgIdBytes,
                maxBytesPerSecond,
                maxSessionBytes,
                maxStreamsPerParticipant,
                handover);
    }

    public ChatSettings withMaxSessionBytes(long bytes) {
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
                bytes,
                maxStreamsPerParticipant,
                handover);
    }

    public ChatSettings withHandover(Handover h) {
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
                h);
    }
}
