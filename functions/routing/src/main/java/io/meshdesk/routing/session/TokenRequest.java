package io.meshdesk.routing.session;

import io.meshdesk.routing.Validation;

/** Input of {@code session-token}. */
public record TokenRequest(String sessionId, String participantId) {

    public TokenRequest {
        sessionId = Validation.id("sessionId", sessionId);
        participantId = Validation.id("participantId", participantId);
    }
}
