package io.meshdesk.routing.lifecycle;

import io.meshdesk.routing.validation.Validation;

/** Input naming one session, as {@code session-get} takes it. */
public record SessionRef(String sessionId) {

    public SessionRef {
        sessionId = Validation.id("sessionId", sessionId);
    }
}
