package io.meshdesk.session.contract;

import java.util.List;

/**
 * The data of a {@code meshdesk.transcript.ready} event: the whole conversation of one session,
 * as chat hands it to ticketing and ticketing archives it. {@code sessionId} and {@code lines}
 * are required; a missing {@code channel} is {@link Channel#WHEN_MISSING}; {@code outcome} is
 * null when chat no longer knew it (the session was gone from etcd).
 */
public record Transcript(
        String sessionId,
        String region,
        String customerId,
        String agentId,
        Channel channel,
        Outcome outcome,
        List<Line> lines) {

    public Transcript {
        ContractViolation.require("sessionId", sessionId);
        ContractViolation.require("lines", lines);
        channel = channel == null ? Channel.WHEN_MISSING : channel;
        lines = List.copyOf(lines);
    }

    /** One stored packet: its seq in the session's log, when, who, what kind, and its text. */
    public record Line(long seq, long timestampMs, String senderId, String kind, String text) {}
}
