package io.meshdesk.routing.session;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.meshdesk.problem.Problem;

/**
 * Where a new session's id comes from. A random id per call would turn a client's retry after a
 * timeout (or a 503 that came after the write) into a second session, so the id is the client's:
 * {@code sessionId} in the body, or derived from the {@code Idempotency-Key} header and the
 * customer, so that the same key from the same customer always names the same session.
 */
public final class SessionIds {

    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    static final int MAX_KEY = 200;

    private SessionIds() {
    }

    /** The input with a sessionId derived from idempotencyKey when it has none; unchanged otherwise. */
    public static JsonNode withDerivedId(JsonNode input, String idempotencyKey) {
        if (idempotencyKey == null || input == null || !input.isObject() || input.hasNonNull("sessionId")) {
            return input;
        }
        String key = idempotencyKey.trim();
        if (key.isEmpty() || key.length() > MAX_KEY || key.chars().anyMatch(Character::isISOControl)) {
            throw Problem.invalid(IDEMPOTENCY_HEADER, "header " + IDEMPOTENCY_HEADER + " must be 1 to " + MAX_KEY
                    + " printable characters (a UUID the client makes once per conversation is ideal)");
        }
        String customer = input.path("customerId").isTextual() ? input.get("customerId").textValue() : "";
        String id = "s-" + UUID.nameUUIDFromBytes((customer + "\n" + key).getBytes(StandardCharsets.UTF_8));
        return ((ObjectNode) input.deepCopy()).put("sessionId", id);
    }
}
