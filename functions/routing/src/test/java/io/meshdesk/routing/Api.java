package io.meshdesk.routing;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.functiontesting.FunctionApi;
import io.meshdesk.identity.testing.TestTokens;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The routing functions as an HTTP client sees them, each call with a real token signed by the
 * test issuer. {@link #call} signs as the caller the rules expect for the function (the agent the
 * body names, the customer of a route, another function for session reads and closes, ops for
 * the audit); {@link #as} calls with a token the test chose.
 */
final class Api {

    private Api() {}

    static Response call(String function, Object body) {
        return FunctionApi.call(function, body, Api::callerToken);
    }

    /** A JSON request with {@code Authorization: Bearer <token>}; the caller adds the body and posts. */
    static RequestSpecification as(String token) {
        return FunctionApi.as(token);
    }

    /** The token of the caller that may make this call, as the rules say. */
    static String tokenFor(String function, Object body) {
        return callerToken(function, FunctionApi.parse(body));
    }

    private static String callerToken(String function, JsonNode json) {
        return switch (function) {
            case "agent-register", "agent-heartbeat", "agent-status" ->
                TestTokens.agent(json.path("agentId").asText("a"));
            case "session-route" -> TestTokens.customer(json.path("customerId").asText("c"));
            case "routing-audit", "queue-status" -> TestTokens.ops();
            default -> TestTokens.service("chat", "routing");
        };
    }

    static Map<String, Object> ok(Response r) {
        return FunctionApi.ok(r);
    }

    static Map<String, Object> register(String agentId, String language, int capacity) {
        return ok(call(
                "agent-register",
                Map.of(
                        "agentId",
                        agentId,
                        "languages",
                        List.of(language),
                        "capacity",
                        capacity,
                        "skills",
                        Map.of("billing", 3))));
    }

    static Map<String, Object> route(String sessionId, String channel, String language) {
        return ok(call(
                "session-route",
                Map.of(
                        "sessionId",
                        sessionId,
                        "customerId",
                        "c-" + sessionId,
                        "channel",
                        channel,
                        "language",
                        language)));
    }

    /** Routes as a customer whose verified tier is premium or standard. */
    static Map<String, Object> routeAs(String tier, String sessionId, String language) {
        String customer = "c-" + sessionId;
        String token = "premium".equals(tier) ? TestTokens.premiumCustomer(customer) : TestTokens.customer(customer);
        return ok(as(token)
                .body(Map.of("sessionId", sessionId, "channel", "web", "language", language))
                .post("/session-route"));
    }

    static Map<String, Object> get(String sessionId) {
        return ok(call("session-get", Map.of("sessionId", sessionId)));
    }

    static Map<String, Object> close(String sessionId, String outcome) {
        return ok(call("session-close", Map.of("sessionId", sessionId, "outcome", outcome)));
    }

    static Map<String, Object> status(String agentId, String status) {
        return ok(call("agent-status", Map.of("agentId", agentId, "status", status)));
    }

    static Map<String, Object> audit() {
        return ok(call("routing-audit", Map.of()));
    }
}
