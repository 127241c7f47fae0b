package io.meshdesk.routing.session;

import io.meshdesk.routing.Validation;

/** Input naming one session, as {@code session-get} takes it. */
public record SessionRef(String sessionId) {

    public SessionRef {
        sessionId = Validation.id("sessionId", sessionId);
    }
}
