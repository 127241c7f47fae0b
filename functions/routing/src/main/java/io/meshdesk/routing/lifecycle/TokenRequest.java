package io.meshdesk.routing.lifecycle;

import io.meshdesk.routing.validation.Validation;

/**
 * Input of {@code session-token}. The participant is the caller ({@code sub}); a
 * {@code participantId} in the body may only repeat it.
 */
public record TokenRequest(String sessionId, String participantId) {

    public TokenRequest {
        sessionId = Validation.id("sessionId", sessionId);
        participantId = Validation.optionalId("participantId", participantId);
    }
}
