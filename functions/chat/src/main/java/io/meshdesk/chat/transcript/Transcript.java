package io.meshdesk.chat.transcript;

import java.util.List;

/** The data of a {@code meshdesk.transcript.ready} event: the whole conversation of one session. */
public record Transcript(
        String sessionId,
        String region,
        String customerId,
        String agentId,
        String channel,
        String outcome,
        List<Line> lines) {

    /** One stored packet, as ticketing archives it. */
    public record Line(long seq, long timestampMs, String senderId, String kind, String text) {}
}
