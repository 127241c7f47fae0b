package io.meshdesk.routing.session;

import java.util.Map;

import io.meshdesk.routing.Validation;

/** Input of {@code session-route}. The priority is not in it: it comes from the verified role. */
public record RouteRequest(String sessionId, String customerId, Channel channel, String language,
        Map<String, Integer> skills, String preferredAgentId) {

    public RouteRequest {
        customerId = Validation.id("customerId", customerId);
        Validation.present("channel", channel);
        language = Validation.language("language", language);
        skills = Validation.proficiencies("skills", skills);
        preferredAgentId = Validation.optionalId("preferredAgentId", preferredAgentId);
        // Required: it is the idempotency key that makes a client's retry return the session its
        // first try created instead of a second one (SessionIds derives it from an
        // Idempotency-Key header when the body has none). Checked last, so that a body with a
        // bad field and no id is told about the bad field.
        sessionId = Validation.id("sessionId", sessionId);
    }
}
