package io.meshdesk.ticketing;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.functiontesting.FunctionApi;
import io.meshdesk.identity.testing.TestTokens;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/**
 * The ticketing functions as a client calls them, with real tokens of the test issuer:
 * {@link #call} signs as the caller the rules expect (agent-7 for the desk's work, the ticket's
 * customer for a rating, the author of a comment, another function for events); {@link #as}
 * uses the token a test chose.
 */
final class Api {

    private Api() {}

    static final String AGENT = "agent-7";

    static Response call(String function, Object body) {
        return FunctionApi.call(function, body, Api::callerToken);
    }

    static RequestSpecification as(String token) {
        return FunctionApi.as(token);
    }

    /** A binary-mode CloudEvent from another function, with its sender token for ticketing. */
    static RequestSpecification event(String id, String type) {
        return event(TestTokens.service("routing", "ticketing"), id, type);
    }

    /** A binary-mode CloudEvent sent with {@code token} (null: none) as its sender's. */
    static RequestSpecification event(String token, String id, String type) {
        return (token == null ? given().contentType("application/json") : as(token))
                .header("ce-id", id)
                .header("ce-specversion", "1.0")
                .header("ce-source", "/meshdesk/cn-north/routing")
                .header("ce-type", type);
    }

    /** The token of the caller that may make this call, as the rules say. */
    private static String callerToken(String function, JsonNode json) {
        return switch (function) {
            case "ticket-rate" ->
                TestTokens.customer(customerOf(json.path("ticketId").asText()));
            case "ticket-comment" ->
                "customer".equals(json.path("authorRole").asText())
                        ? TestTokens.customer(json.path("author").asText())
                        : TestTokens.agent(json.path("author").asText(AGENT));
            case "session-closed", "transcript-ready" -> TestTokens.service("routing", "ticketing");
            default -> TestTokens.agent(AGENT);
        };
    }

    private static String customerOf(String ticketId) {
        Response r =
                as(TestTokens.agent(AGENT)).body(Map.of("ticketId", ticketId)).post("/ticket-get");
        return r.statusCode() == 200 ? r.jsonPath().getString("customerId") : "c";
    }

    static Map<String, Object> ok(Response r) {
        return FunctionApi.ok(r);
    }

    static Map<String, Object> create(String customer, String queue, String priority) {
        return ok(call("ticket-create", ticket(customer, queue, priority)));
    }

    /** The body of a ticket-create call: a web ticket of {@code customer} in a queue at a priority. */
    static Map<String, Object> ticket(String customer, String queue, String priority) {
        return Map.of(
                "customerId",
                customer,
                "subject",
                "Order late",
                "description",
                "My order has not arrived",
                "queue",
                queue,
                "priority",
                priority,
                "channel",
                "web");
    }

    /** A comment on a ticket by the desk's agent, for the customer to see or internal. */
    static Map<String, Object> agentComment(Object ticketId, String body, boolean internal) {
        return ok(call(
                "ticket-comment",
                Map.of(
                        "ticketId",
                        ticketId,
                        "author",
                        AGENT,
                        "authorRole",
                        "agent",
                        "body",
                        body,
                        "internal",
                        internal)));
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
