package io.meshdesk.routing.lifecycle;

import io.meshdesk.routing.session.Outcome;
import io.meshdesk.routing.validation.Validation;

/** Input of {@code session-close}. */
public record CloseRequest(String sessionId, Outcome outcome) {

    public CloseRequest {
        sessionId = Validation.id("sessionId", sessionId);
        Validation.present("outcome", outcome);
    }
}
