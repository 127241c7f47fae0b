package io.meshdesk.chat;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code meshdesk.chat.*}: the limits of the chat channel. Defaults match {@link ChatSettings#defaults}. */
@ConfigMapping(prefix = "meshdesk.chat")
public interface ChatConfig {

    /** Longest text message, in bytes of UTF-8. */
    @WithDefault("4096")
    int maxTextBytes();

    /** Packets of every kind (typing included) one participant may send per second, over all its streams. */
    @WithDefault("20")
    int maxMessagesPerSecond();

    /** Bytes one participant may send per second, over all its streams. */
    @WithDefault("131072")
    int maxBytesPerSecond();

    /** Longest packet of any kind, unknown fields included. */
    @WithDefault("20480")
    int maxPacketBytes();

    /** Longest call-signal payload (an SDP offer is a few KiB). */
    @WithDefault("16384")
    int maxSignalBytes();

    /** Longest client_msg_id, in bytes. */
    @WithDefault("128")
    int maxClientMsgIdBytes();

    /** Bytes held for a participant that does not read before its stream is ended. */
    @WithDefault("1048576")
    int outboundBufferBytes();

    /** Bytes one session's log may hold (4 MiB: its transcript stays one reasonable event). */
    @WithDefault("4194304")
    long maxSessionBytes();

    /** Streams one participant may have open at once on one instance. */
    @WithDefault("4")
    int maxStreamsPerParticipant();

    /** How long a closed session's chat stays readable in etcd after ticketing has its transcript. */
    @WithDefault("24h")
    Duration retention();

    /** The first wait before a failed transcript handover is tried again; it doubles up to the maximum. */
    @WithDefault("1s")
    Duration handoverInitialBackoff();

    @WithDefault("5m")
    Duration handoverMaxBackoff();

    /** How often pending handovers and closes missed while no chat instance ran are looked for. */
    @WithDefault("10s")
    Duration handoverSweepInterval();

    /** Longest one handover attempt may take; an instance that died mid-attempt leaves it to others after it. */
    @WithDefault("30s")
    Duration handoverAttemptTimeout();
}
