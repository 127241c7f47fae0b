package io.meshdesk.routing.queue;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.identity.Group;
import io.meshdesk.identity.Identity;
import io.meshdesk.routing.settings.RoutingSettings;
import io.meshdesk.routing.state.RegionView;
import io.quarkus.funqy.Funq;

/** {@code queue-status}. */
public class QueueFunctions {

    private final RegionView view;
    private final RoutingSettings settings;
    private final Identity identity;

    QueueFunctions(RegionView view, RoutingSettings settings, Identity identity) {
        this.view = view;
        this.settings = settings;
        this.identity = identity;
    }

    /**
     * Takes no input; a body of {} is accepted because callers and CloudEvents send one. Counts
     * only, no customer: for the agent console, supervisors, ops and other functions.
     */
    @Funq("queue-status")
    public QueueStatus status(JsonNode ignored) {
        identity.caller().require("queue-status", Group.AGENT, Group.SUPERVISOR, Group.OPS, Group.SERVICE);
        view.requireReady();
        return QueueStatus.of(view, settings, Instant.now());
    }
}
