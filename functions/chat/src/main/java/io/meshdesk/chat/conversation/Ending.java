package io.meshdesk.chat.conversation;

/**
 * How a stream ends, handed once to {@link Outbox#end}: a status for the participant (none: a
 * normal end), what to tell them, and whether what is already queued is written first.
 *
 * @param status null for a normal end (gRPC OK, WebSocket 1000)
 * @param flush write what is queued before ending (false when the reader is the problem)
 * @param transportGone the transport is already closed: nothing can be written
 */
public record Ending(Refusal.Kind status, String detail, boolean flush, boolean transportGone) {

    public static Ending normal(String detail) {
        return new Ending(null, detail, true, false);
    }

    public static Ending refused(Refusal refusal) {
        return new Ending(refusal.kind(), refusal.getMessage(), true, false);
    }

    /** The participant does not read: what is queued is dropped, the status goes out at once. */
    public static Ending overflow(String detail) {
        return new Ending(Refusal.Kind.RESOURCE_EXHAUSTED, detail, false, false);
    }

    public static Ending transportGone(String detail) {
        return new Ending(null, detail, false, true);
    }
}
