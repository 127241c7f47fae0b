package io.meshdesk.routing.session;

import io.meshdesk.routing.Validation;

/** Input of {@code session-close}. */
public record CloseRequest(String sessionId, Outcome outcome) {

    public CloseRequest {
        sessionId = Validation.id("sessionId", sessionId);
        Validation.present("outcome", outcome);
    }
}
