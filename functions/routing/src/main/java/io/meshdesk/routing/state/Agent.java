package io.meshdesk.routing.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An agent as stored at {@code /meshdesk/agents/<agentId>}, bound to the lease {@code leaseId}:
 * when heartbeats stop, etcd removes the key and the agent is gone. {@code tenant} is the
 * organisation the agent works for (from the token it registered with): its supervisors may act for it.
 */
public record Agent(
        String agentId,
        String displayName,
        String region,
        Map<String, Integer> skills,
        List<String> languages,
        int capacity,
        int weight,
        AgentStatus status,
        long leaseId,
        Instant registeredAt,
        String tenant) {

    public Agent withStatus(AgentStatus newStatus) {
        return new Agent(
                agentId,
                displayName,
                region,
                skills,
                languages,
                capacity,
                weight,
                newStatus,
                leaseId,
                registeredAt,
                tenant);
    }

    public boolean speaks(String language) {
        return languages.stream().anyMatch(l -> l.equalsIgnoreCase(language));
    }

    /** True when the agent has every skill at or above the proficiency asked for. */
    public boolean masters(Map<String, Integer> required) {
        return required.entrySet().stream().allMatch(r -> skills.getOrDefault(r.getKey(), 0) >= r.getValue());
    }
}
