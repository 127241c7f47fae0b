package io.meshdesk.ticketing;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;

import io.restassured.response.Response;

/** The ticketing functions as a client calls them. */
final class Api {

    private Api() {
    }

    static Response call(String function, Object body) {
        return given().contentType("application/json").header("x-participant-id", "agent-7").body(body)
                .post("/" + function);
    }

    static Map<String, Object> ok(Response r) {
        r.then().statusCode(200);
        return r.jsonPath().getMap("$");
    }

    static Map<String, Object> create(String customer, String queue, String priority) {
        return ok(call("ticket-create", Map.of("customerId", customer, "subject", "Order late",
                "description", "My order has not arrived", "queue", queue, "priority", priority, "channel", "web")));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> sla(Map<String, Object> ticket) {
        return (Map<String, Object>) ticket.get("sla");
    }

    @SuppressWarnings("unchecked")
    static java.util.List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (java.util.List<Map<String, Object>>) m.get(key);
    }

    static Response update(Object ticketId, Object version, Map<String, Object> changes) {
        Map<String, Object> body = new HashMap<>(changes);
        body.put("ticketId", ticketId);
        body.put("version", version);
        return call("ticket-update", body);
    }

    static Map<String, Object> move(Map<String, Object> ticket, String status) {
        return ok(update(ticket.get("ticketId"), ticket.get("version"), Map.of("status", status)));
    }
}
