package io.meshdesk.chat.conversation;

/**
 * Why a stream is refused or ended. The kinds are named after the gRPC status codes the gRPC face
 * maps them to; a WebSocket face maps them to close codes. Messages name the object and the reason
 * and never contain a token.
 */
public final class Refusal extends RuntimeException {

    public enum Kind {
        INVALID_ARGUMENT,
        UNAUTHENTICATED,
        PERMISSION_DENIED,
        NOT_FOUND,
        FAILED_PRECONDITION,
        OUT_OF_RANGE,
        RESOURCE_EXHAUSTED,
        UNAVAILABLE
    }

    private final Kind kind;

    public Refusal(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
