package io.meshdesk.routing.presence;

import io.meshdesk.routing.state.AgentStatus;
import io.meshdesk.routing.validation.Validation;

/** Input of {@code agent-status}. */
public record AgentStatusChange(String agentId, AgentStatus status) {

    public AgentStatusChange {
        agentId = Validation.id("agentId", agentId);
        Validation.present("status", status);
    }
}
