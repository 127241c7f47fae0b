package io.meshdesk.routing.session;

import java.util.Map;

import io.meshdesk.routing.Validation;

/**
 * Input of {@code session-route}. The customer and the priority come from the verified token
 * ({@code sub}, {@code tier}); a {@code customerId} in the body may only repeat the token's.
 */
public record RouteRequest(String sessionId, String customerId, Channel channel, String language,
        Map<String, Integer> skills, String preferredAgentId) {

    public RouteRequest {
        sessionId = Validation.optionalId("sessionId", sessionId);
        customerId = Validation.optionalId("customerId", customerId);
        Validation.present("channel", channel);
        language = Validation.required("language", language).toLowerCase();
        skills = Validation.proficiencies("skills", skills);
        preferredAgentId = Validation.optionalId("preferredAgentId", preferredAgentId);
    }

    /** The same request, for the customer the token names. */
    public RouteRequest forCustomer(String customer) {
        return new RouteRequest(sessionId, customer, channel, language, skills, preferredAgentId);
    }
}
