package io.meshdesk.routing.presence;

import io.meshdesk.routing.validation.Validation;

/** Input naming one agent, as {@code agent-heartbeat} takes it. */
public record AgentRef(String agentId) {

    public AgentRef {
        agentId = Validation.id("agentId", agentId);
    }
}
