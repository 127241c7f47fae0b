package io.meshdesk.routing.state;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Capacity in use by one agent, at {@code /meshdesk/load/<agentId>}: the sessions it holds and
 * what each costs. It has no lease on purpose: it must outlive a flapping presence lease until
 * the agent's sessions have been re-queued. {@code leaseId} is the presence lease the sessions
 * were assigned under; when the agent's current lease differs, those sessions are orphans.
 */
public record AgentLoad(String agentId, long leaseId, int used, Instant lastAssignedAt, Map<String, Integer> sessions) {

    public static AgentLoad fresh(String agentId, long leaseId, Instant now) {
        return new AgentLoad(agentId, leaseId, 0, now, Map.of());
    }

    public AgentLoad plus(String sessionId, int cost, Instant now) {
        Map<String, Integer> next = new TreeMap<>(sessions);
        next.put(sessionId, cost);
        return new AgentLoad(agentId, leaseId, used + cost, now, next);
    }

    public AgentLoad minus(String sessionId) {
        Map<String, Integer> next = new TreeMap<>(sessions);
        Integer cost = next.remove(sessionId);
        return new AgentLoad(agentId, leaseId, used - (cost == null ? 0 : cost), lastAssignedAt, next);
    }

    public AgentLoad boundTo(long newLeaseId) {
        return new AgentLoad(agentId, newLeaseId, used, lastAssignedAt, sessions);
    }
}
