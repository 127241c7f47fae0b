package io.meshdesk.routing.presence;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.problem.FunctionInput;
import io.meshdesk.routing.RoutingInstance;
import io.quarkus.funqy.Funq;

/** {@code agent-register}, {@code agent-heartbeat}, {@code agent-status}. */
public class PresenceFunctions {

    private final RoutingInstance routing;

    PresenceFunctions(RoutingInstance routing) {
        this.routing = routing;
    }

    @Funq("agent-register")
    public AgentPresence register(JsonNode input) {
        return routing.presence().register(FunctionInput.read(input, AgentRegistration.class));
    }

    @Funq("agent-heartbeat")
    public AgentPresence heartbeat(JsonNode input) {
        return routing.presence().heartbeat(FunctionInput.read(input, AgentRef.class).agentId());
    }

    @Funq("agent-status")
    public AgentPresence status(JsonNode input) {
        return routing.presence().changeStatus(FunctionInput.read(input, AgentStatusChange.class));
    }
}
