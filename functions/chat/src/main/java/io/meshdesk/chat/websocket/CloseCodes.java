package io.meshdesk.chat.websocket;

import java.nio.charset.StandardCharsets;

import io.meshdesk.chat.conversation.Refusal;
import io.quarkus.websockets.next.CloseReason;

/**
 * How a refusal ends a WebSocket: a close code in the private range 4000-4999 whose last three
 * digits read like the HTTP status of the same refusal (4401 unauthenticated, 4403 not allowed,
 * 4429 too much), and the refusal's message as the reason. Browsers see both in the close event.
 */
final class CloseCodes {

    /** RFC 6455 allows 123 bytes of reason in a close frame. */
    private static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {}

    static int code(Refusal.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> 4400;
            case UNAUTHENTICATED -> 4401;
            case PERMISSION_DENIED -> 4403;
            case NOT_FOUND -> 4404;
            case FAILED_PRECONDITION -> 4409;
            case OUT_OF_RANGE -> 4416;
            case RESOURCE_EXHAUSTED -> 4429;
            case UNAVAILABLE -> 4503;
        };
    }

    static CloseReason of(Refusal refusal) {
        return new CloseReason(code(refusal.kind()), fit(refusal.getMessage()));
    }

    /** Cuts a reason to what a close frame holds, on a character boundary. */
    static String fit(String reason) {
        String text = reason == null ? "" : reason;
        while (text.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            text = text.substring(0, text.length() - 2) + "…";
        }
        return text;
    }
}
