package io.meshdesk.routing.lifecycle;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.meshdesk.session.contract.Channel;
import io.meshdesk.session.contract.Priority;
import io.meshdesk.session.contract.SessionRecord;
import io.meshdesk.session.contract.SessionState;

/** What {@code session-route} answers: where the session is now. */
public record RouteResult(
        String sessionId,
        SessionState state,
        String agentId,
        Integer queuePosition,
        Priority priority,
        Channel channel,
        Instant enqueuedAt,
        Instant assignedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String customerToken) {

    public static RouteResult of(SessionRecord s, Integer queuePosition) {
        return new RouteResult(
                s.sessionId(),
                s.state(),
                s.agentId(),
                s.state() == SessionState.QUEUED ? queuePosition : null,
                s.priority(),
                s.channel(),
                s.enqueuedAt(),
                s.assignedAt(),
                null);
    }

    /** The same, with the token the customer joins the chat with. */
    public RouteResult withCustomerToken(String token) {
        return new RouteResult(
                sessionId, state, agentId, queuePosition, priority, channel, enqueuedAt, assignedAt, token);
    }
}
