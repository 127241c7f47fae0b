package io.meshdesk.routing.session;

import java.util.Map;

import io.meshdesk.routing.Validation;

/** Input of {@code session-route}. The priority is not in it: it comes from the verified role. */
public record RouteRequest(String sessionId, String customerId, Channel channel, String language,
        Map<String, Integer> skills, String preferredAgentId) {

    public RouteRequest {
        sessionId = Validation.optionalId("sessionId", sessionId);
        customerId = Validation.id("customerId", customerId);
        Validation.present("channel", channel);
        language = Validation.required("language", language).toLowerCase();
        skills = Validation.proficiencies("skills", skills);
        preferredAgentId = Validation.optionalId("preferredAgentId", preferredAgentId);
    }
}
