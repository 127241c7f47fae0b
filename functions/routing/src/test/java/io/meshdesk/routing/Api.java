package io.meshdesk.routing;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.meshdesk.identity.testing.TestTokens;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/**
 * The routing functions as an HTTP client sees them, each call with a real token signed by the
 * test issuer. {@link #call} signs as the caller the rules expect for the function (the agent the
 * body names, the customer of a route, another function for session reads and closes, ops for
 * the audit); {@link #as} calls with a token the test chose.
 */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Api() {}

    static Response call(String function, Object body) {
        return as(tokenFor(function, body)).body(body).post("/" + function);
    }

    /** A JSON request with {@code Authorization: Bearer <token>}; the caller adds the body and posts. */
    static RequestSpecification as(String token) {
        return given().contentType("application/json").header("Authorization", TestTokens.bearer(token));
    }

    /** The token of the caller that may make this call, as the rules say. */
    static String tokenFor(String function, Object body) {
        JsonNode json = parse(body);
        return switch (function) {
            case "agent-register", "agent-heartbeat", "agent-status" ->
                TestTokens.agent(json.path("agentId").asText("a"));
            case "session-route" -> TestTokens.customer(json.path("customerId").asText("c"));
            case "routing-audit", "queue-status" -> TestTokens.ops();
            default -> TestTokens.service("chat", "routing");
        };
    }

    private static JsonNode parse(Object body) {
        try {
            return body instanceof String s ? JSON.readTree(s) : JSON.valueToTree(body);
        } catch (JsonProcessingException e) {
            return JSON.nullNode();
        }
    }

    static Map<String, Object> ok(Response r) {
        r.then().statusCode(200);
        return r.jsonPath().getMap("$");
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
