package io.meshdesk.identity.dev;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.identity.Group;

/**
 * FOR DEVELOPMENT AND TESTS ONLY: tokens for a client that drives the local functions (load
 * tests, the observability traffic), as the caller the rules expect for each call: the agent the
 * body names for presence, the body's customer for a route, the named participant for a chat
 * token, the author of a comment, ops for whole-keyspace reads, agent-1 for the ticket desk, and
 * another function (service) for the rest. Tokens are signed once per caller and reused.
 */
public final class DevCallers {

    /** Who works the ticket desk when a call names nobody. */
    public static final String DESK_AGENT = "agent-1";

    private final DevIssuer issuer;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    public DevCallers(DevIssuer issuer) {
        this.issuer = issuer;
    }

    public String tokenFor(String function, JsonNode body) {
        return switch (function) {
            case "agent-register", "agent-heartbeat", "agent-status" ->
                agent(body.path("agentId").asText(DESK_AGENT));
            case "session-route" -> customer(body.path("customerId").asText("c-local"));
            case "session-token" -> agent(body.path("participantId").asText(DESK_AGENT));
            case "ticket-comment" ->
                "customer".equals(body.path("authorRole").asText())
                        ? customer(body.path("author").asText())
                        : agent(body.path("author").asText(DESK_AGENT));
            case "queue-status", "routing-audit" -> signed(TokenSpec.of("ops-1", Group.OPS));
            case "ticket-create", "ticket-get", "ticket-update", "ticket-search", "backlog" -> agent(DESK_AGENT);
            default -> signed(TokenSpec.of("dev-client", Group.SERVICE));
        };
    }

    public String customer(String id) {
        return signed(TokenSpec.of(id, Group.CUSTOMER).withTier("standard"));
    }

    public String agent(String id) {
        return signed(TokenSpec.of(id, Group.AGENT));
    }

    private String signed(TokenSpec spec) {
        return tokens.computeIfAbsent(spec.groups() + "/" + spec.subject(), k -> issuer.sign(spec));
    }
}
