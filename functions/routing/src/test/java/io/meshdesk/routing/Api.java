package io.meshdesk.routing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.response.Response;

/** The routing functions as an HTTP client sees them. */
final class Api {

    private Api() {
    }

    static Response call(String function, Object body) {
        return given().contentType("application/json").body(body).post("/" + function);
    }

    static Response callAs(String role, String function, Object body) {
        return given().contentType("application/json").header("x-user-role", role).body(body).post("/" + function);
    }

    static Map<String, Object> ok(Response r) {
        r.then().statusCode(200);
        return r.jsonPath().getMap("$");
    }

    static Map<String, Object> register(String agentId, String language, int capacity) {
        return ok(call("agent-register", Map.of("agentId", agentId, "languages", List.of(language),
                "capacity", capacity, "skills", Map.of("billing", 3))));
    }

    static Map<String, Object> route(String sessionId, String channel, String language) {
        return ok(call("session-route", Map.of("sessionId", sessionId, "customerId", "c-" + sessionId,
                "channel", channel, "language", language)));
    }

    static Map<String, Object> routeAs(String role, String sessionId, String language) {
        return ok(callAs(role, "session-route", Map.of("sessionId", sessionId, "customerId", "c-" + sessionId,
                "channel", "web", "language", language)));
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
