package io.meshdesk.events;

/** Where a function's CloudEvents go. Sending never fails the caller's decision. */
public interface EventSink {

    /** Sends in the background; a failure is logged, never thrown. */
    void publish(Event event);

    EventSink NONE = event -> {
    };
}
