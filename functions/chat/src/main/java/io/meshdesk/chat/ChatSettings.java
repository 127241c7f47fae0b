package io.meshdesk.chat;

import java.time.Duration;

/** The limits of the chat channel; from configuration ({@code meshdesk.chat.*}), or built by tests. */
public record ChatSettings(
        String region,
        int maxTextBytes,
        int maxMessagesPerSecond,
        int outboundBuffer,
        Duration retention) {

    public static ChatSettings defaults(String region) {
        return new ChatSettings(region, 4096, 20, 1024, Duration.ofHours(24));
    }

    public ChatSettings withOutboundBuffer(int packets) {
        return new ChatSettings(region, maxTextBytes, maxMessagesPerSecond, packets, retention);
    }
}
