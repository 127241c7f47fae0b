package io.meshdesk.routing.presence;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.identity.AuthProblem;
import io.meshdesk.identity.Caller;
import io.meshdesk.identity.Group;
import io.meshdesk.identity.Identity;
import io.meshdesk.problem.FunctionInput;
import io.quarkus.funqy.Funq;

/**
 * {@code agent-register}, {@code agent-heartbeat}, {@code agent-status}. An agent acts only as
 * itself; a supervisor may act for the agents of its own tenant.
 */
public class PresenceFunctions {

    private final Presence presence;
    private final Identity identity;

    PresenceFunctions(Presence presence, Identity identity) {
        this.presence = presence;
        this.identity = identity;
    }

    @Funq("agent-register")
    public AgentPresence register(JsonNode input) {
        AgentRegistration registration = FunctionInput.read(input, AgentRegistration.class);
        Caller caller = actingFor("agent-register", registration.agentId());
        // The agent belongs to the tenant of whoever registered it: itself, or its supervisor.
        return presence.register(registration, caller.tenant());
    }

    @Funq("agent-heartbeat")
    public AgentPresence heartbeat(JsonNode input) {
        String agentId = FunctionInput.read(input, AgentRef.class).agentId();
        actingFor("agent-heartbeat", agentId);
        return presence.heartbeat(agentId);
    }

    @Funq("agent-status")
    public AgentPresence status(JsonNode input) {
        AgentStatusChange change = FunctionInput.read(input, AgentStatusChange.class);
        actingFor("agent-status", change.agentId());
        return presence.changeStatus(change);
    }

    /** The caller, when it may act for the agent: the agent itself, or a supervisor of the agent's tenant. */
    private Caller actingFor(String function, String agentId) {
        Caller caller = identity.caller().require(function, Group.AGENT, Group.SUPERVISOR);
        if (caller.in(Group.AGENT) && caller.subject().equals(agentId)) {
            return caller;
        }
        if (caller.in(Group.SUPERVISOR)) {
            // An agent not registered yet has no tenant: the supervisor registering it gives it its own.
            Optional<String> tenant = presence.tenantOf(agentId);
            if (tenant.isEmpty() || caller.mayActForAgent(agentId, tenant.get())) {
                return caller;
            }
            throw AuthProblem.forbidden(function + ": a supervisor acts only for agents of its own tenant; agent "
                    + agentId + " is not in tenant " + caller.tenant());
        }
        throw AuthProblem.forbidden(function + ": an agent acts only as itself; this token is agent " + caller.subject()
                + ", not " + agentId);
    }
}
