package io.meshdesk.routing.audit;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.routing.json.RoutingJson;
import io.meshdesk.routing.state.Agent;
import io.meshdesk.routing.state.AgentLoad;
import io.meshdesk.routing.state.QueueKeys;
import io.meshdesk.session.contract.ContractViolation;
import io.meshdesk.session.contract.SessionRecord;
import io.meshdesk.session.contract.SessionState;

/**
 * Reads every session, load, agent and queue entry at one revision and checks what routing
 * promises: a session is exactly one of queued (with exactly one queue entry), assigned (to
 * one agent, whose load holds it) or closed; a load adds up and stays within its agent's
 * capacity. Used by the tests and by ops through {@code routing-audit}.
 */
public final class Audit {

    private final BlockingEtcd etcd;

    public Audit(BlockingEtcd etcd) {
        this.etcd = etcd;
    }

    public AuditReport run() {
        GetResponse sessionsRead = etcd.getPrefix(Keyspace.SESSIONS, "auditing sessions");
        long revision = sessionsRead.getHeader().getRevision();
        List<KeyValue> loadKvs = at(Keyspace.LOAD, revision);
        List<KeyValue> agentKvs = at(Keyspace.AGENTS, revision);
        List<KeyValue> queueKvs = at(Keyspace.QUEUE, revision);

        List<String> violations = new ArrayList<>();
        Map<String, SessionRecord> sessions = new HashMap<>();
        sessionsRead.getKvs().forEach(kv -> {
            try {
                SessionRecord s = RoutingJson.decode(kv.getValue(), SessionRecord.class);
                sessions.put(s.sessionId(), s);
            } catch (UncheckedIOException | ContractViolation e) {
                // One unreadable value must not hide what the audit finds in the others.
                Throwable why = e instanceof UncheckedIOException ? e.getCause() : e;
                violations.add("session key " + Keyspace.text(kv.getKey()) + " is not a readable session ("
                        + why.getMessage().lines().findFirst().orElse("") + ")");
            }
        });
        Map<String, Agent> agents = new HashMap<>();
        agentKvs.forEach(kv -> {
            Agent a = RoutingJson.decode(kv.getValue(), Agent.class);
            agents.put(a.agentId(), a);
        });
        Set<String> queueKeys = new HashSet<>();
        queueKvs.forEach(kv -> queueKeys.add(Keyspace.text(kv.getKey())));

        Map<String, String> holder = new HashMap<>();
        for (KeyValue kv : loadKvs) {
            AgentLoad load = RoutingJson.decode(kv.getValue(), AgentLoad.class);
            int sum = load.sessions().values().stream()
                    .mapToInt(Integer::intValue)
                    .sum();
            if (sum != load.used()) {
                violations.add("agent " + load.agentId() + ": load says " + load.used() + " units used but its "
                        + "sessions add up to " + sum);
            }
            Agent agent = agents.get(load.agentId());
            if (agent != null && load.used() > agent.capacity()) {
                violations.add("agent " + load.agentId() + " is over capacity: " + load.used() + " of "
                        + agent.capacity() + " units used");
            }
            for (String sessionId : load.sessions().keySet()) {
                String other = holder.put(sessionId, load.agentId());
                if (other != null) {
                    violations.add(
                            "session " + sessionId + " is held by two agents: " + other + " and " + load.agentId());
                }
                SessionRecord s = sessions.get(sessionId);
                if (s == null
                        || s.state() != SessionState.ASSIGNED
                        || !load.agentId().equals(s.agentId())) {
                    violations.add("agent " + load.agentId() + " holds session " + sessionId + " but the session is "
                            + (s == null ? "missing" : s.state() + (s.agentId() != null ? " to " + s.agentId() : "")));
                }
            }
        }
        int queued = 0;
        int assigned = 0;
        int closed = 0;
        for (SessionRecord s : sessions.values()) {
            String entry = QueueKeys.of(s);
            switch (s.state()) {
                case QUEUED -> {
                    queued++;
                    if (!queueKeys.remove(entry)) {
                        violations.add("session " + s.sessionId() + " is queued but has no queue entry (lost)");
                    }
                }
                case ASSIGNED -> {
                    assigned++;
                    if (!s.agentId().equals(holder.get(s.sessionId()))) {
                        violations.add("session " + s.sessionId() + " is assigned to " + s.agentId()
                                + " but that agent's load does not hold it");
                    }
                }
                case CLOSED -> closed++;
            }
        }
        queueKeys.forEach(k -> violations.add("queue entry " + k + " belongs to no queued session"));
        return new AuditReport(revision, queued, assigned, closed, agents.size(), loadKvs.size(), violations);
    }

    private List<KeyValue> at(String prefix, long revision) {
        return etcd.await(
                        etcd.kv()
                                .get(
                                        Keyspace.bytes(prefix),
                                        GetOption.builder()
                                                .isPrefix(true)
                                                .withRevision(revision)
                                                .build()),
                        "auditing " + prefix)
                .getKvs();
    }
}
