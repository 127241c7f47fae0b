package io.meshdesk.events;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Where a function's CloudEvents go. Sending never fails the caller's decision. */
public interface EventSink {

    /** Sends in the background; a failure is logged, never thrown. */
    void publish(Event event);

    /**
     * Sends in the background and completes once the receiver has acknowledged the event (an
     * HTTP 2xx from {@code K_SINK}), or exceptionally when it could not be delivered: for a sender
     * that keeps a fact until it is handed over (chat's transcripts) and retries it itself. A sink
     * with nowhere to send completes at once. The default suits sinks that cannot tell (tests).
     */
    default CompletionStage<Void> deliver(Event event) {
        publish(event);
        return CompletableFuture.completedFuture(null);
    }

    EventSink NONE = event -> {};
}
