package io.meshdesk.routing.queue;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.routing.RoutingInstance;
import io.quarkus.funqy.Funq;

/** {@code queue-status}. */
public class QueueFunctions {

    private final RoutingInstance routing;

    QueueFunctions(RoutingInstance routing) {
        this.routing = routing;
    }

    /** Takes no input; a body of {} is accepted because callers and CloudEvents send one. */
    @Funq("queue-status")
    public QueueStatus status(JsonNode ignored) {
        routing.startupLoad().await();
        return routing.queueStatus();
    }
}
