package io.meshdesk.routing.presence;

import io.meshdesk.routing.state.AgentStatus;

/** What presence calls answer: the agent's id, its lease and status, and sessions it gave back. */
public record AgentPresence(
        String agentId, long leaseId, long ttlSeconds, AgentStatus status, Integer requeuedSessions) {}
