package io.meshdesk.routing.lifecycle;

import java.util.Map;

import io.meshdesk.routing.session.Channel;
import io.meshdesk.routing.validation.Validation;

/**
 * Input of {@code session-route}. The customer and the priority come from the verified token
 * ({@code sub}, {@code tier}); a {@code customerId} in the body may only repeat the token's.
 */
public record RouteRequest(
        String sessionId,
        String customerId,
        Channel channel,
        String language,
        Map<String, Integer> skills,
        String preferredAgentId) {

    public RouteRequest {
        customerId = Validation.optionalId("customerId", customerId);
        Validation.present("channel", channel);
        language = Validation.language("language", language);
        skills = Validation.proficiencies("skills", skills);
        preferredAgentId = Validation.optionalId("preferredAgentId", preferredAgentId);
        // Required: it is the idempotency key that makes a client's retry (after a timeout, or a
        // 503 that came after the write) return the session its first try created instead of a
        // second one. Checked last, so that a body with a bad field and no id is told about that.
        sessionId = Validation.id("sessionId", sessionId);
    }

    /** The same request, for the customer the token names. */
    public RouteRequest forCustomer(String customer) {
        return new RouteRequest(sessionId, customer, channel, language, skills, preferredAgentId);
    }
}
