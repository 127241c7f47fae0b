package io.meshdesk.chat.conversation;

/**
 * Why a stream is ended. The kinds are named after the gRPC status codes the gRPC face maps
 * them to; a WebSocket face maps them to close codes.
 */
public final class Refusal extends RuntimeException {

    public enum Kind {
        INVALID_ARGUMENT, UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND, FAILED_PRECONDITION, RESOURCE_EXHAUSTED,
        UNAVAILABLE
    }

    private final Kind kind;

    public Refusal(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
