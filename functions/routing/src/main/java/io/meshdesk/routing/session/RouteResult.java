package io.meshdesk.routing.session;

import java.time.Instant;

/** What {@code session-route} answers: where the session is now. */
public record RouteResult(String sessionId, SessionState state, String agentId, Integer queuePosition,
        Priority priority, Channel channel, Instant enqueuedAt, Instant assignedAt) {

    public static RouteResult of(Session s, Integer queuePosition) {
        return new RouteResult(s.sessionId(), s.state(), s.agentId(),
                s.state() == SessionState.QUEUED ? queuePosition : null, s.priority(), s.channel(), s.enqueuedAt(),
                s.assignedAt());
    }
}
