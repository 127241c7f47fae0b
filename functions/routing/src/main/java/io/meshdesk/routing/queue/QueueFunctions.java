package io.meshdesk.routing.queue;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.identity.Group;
import io.meshdesk.identity.Identity;
import io.meshdesk.routing.RoutingInstance;
import io.quarkus.funqy.Funq;

/** {@code queue-status}. */
public class QueueFunctions {

    private final RoutingInstance routing;
    private final Identity identity;

    QueueFunctions(RoutingInstance routing, Identity identity) {
        this.routing = routing;
        this.identity = identity;
    }

    /**
     * Takes no input; a body of {} is accepted because callers and CloudEvents send one. Counts
     * only, no customer: for the agent console, supervisors, ops and other functions.
     */
    @Funq("queue-status")
    public QueueStatus status(JsonNode ignored) {
        identity.caller().require("queue-status", Group.AGENT, Group.SUPERVISOR, Group.OPS, Group.SERVICE);
        routing.startupLoad().await();
        return routing.queueStatus();
    }
}
