package io.meshdesk.chat;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code meshdesk.chat.*}: the limits of the chat channel. */
@ConfigMapping(prefix = "meshdesk.chat")
public interface ChatConfig {

    /** Longest text message, in bytes of UTF-8. */
    @WithDefault("4096")
    int maxTextBytes();

    /** Messages (texts, signals, receipts) one participant may send per second on a stream. */
    @WithDefault("20")
    int maxMessagesPerSecond();

    /** Packets held for a participant that does not read before its stream is ended. */
    @WithDefault("1024")
    int outboundBuffer();

    /** How long a closed session's chat stays readable in etcd. */
    @WithDefault("24h")
    Duration retention();
}
