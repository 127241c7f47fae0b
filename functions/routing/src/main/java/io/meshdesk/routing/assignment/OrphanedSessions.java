package io.meshdesk.routing.assignment;

import java.util.Map;

import org.jboss.logging.Logger;

import io.etcd.jetcd.KeyValue;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.routing.json.RoutingJson;
import io.meshdesk.routing.state.Agent;
import io.meshdesk.routing.state.AgentLoad;
import io.meshdesk.routing.state.QueueKeys;
import io.meshdesk.routing.state.Transactions;
import io.meshdesk.routing.transitions.SessionTransitions;
import io.meshdesk.session.contract.SessionRecord;
import io.meshdesk.session.contract.SessionState;

/**
 * Puts back in the queue the sessions of an agent that left (went offline, or whose presence
 * lease expired, even if it has registered again since with a new lease). Each session moves
 * in one transaction that compares the session and the load, so however many instances react
 * to the same departure, each session is re-queued exactly once, with its original enqueue time.
 */
public final class OrphanedSessions {

    private static final Logger LOG = Logger.getLogger(OrphanedSessions.class);

    private final BlockingEtcd etcd;
    private final Transactions txns;
    private final SessionTransitions transitions;

    public OrphanedSessions(BlockingEtcd etcd, Transactions txns, SessionTransitions transitions) {
        this.etcd = etcd;
        this.txns = txns;
        this.transitions = transitions;
    }

    /** Re-queues what the agent's current lease does not cover; returns how many sessions moved. */
    public int requeueFor(String agentId) {
        int moved = 0;
        // Each round either moves one session or settles the load; the bound only guards
        // against a livelock with a pathological writer.
        for (int round = 0; round < 10_000; round++) {
            KeyValue loadKv = etcd.get(Keyspace.load(agentId), "reading the load of agent " + agentId);
            if (loadKv == null) {
                return moved;
            }
            AgentLoad load = RoutingJson.decode(loadKv.getValue(), AgentLoad.class);
            KeyValue agentKv = etcd.get(Keyspace.agent(agentId), "reading agent " + agentId);
            Agent agent = agentKv == null ? null : RoutingJson.decode(agentKv.getValue(), Agent.class);
            if (agent != null && agent.leaseId() == load.leaseId()) {
                return moved;
            }
            if (load.sessions().isEmpty()) {
                settle(agentId, loadKv, load, agentKv, agent);
                continue;
            }
            Map.Entry<String, Integer> first =
                    load.sessions().entrySet().iterator().next();
            if (requeue(agentId, first.getKey(), loadKv, load)) {
                moved++;
            }
        }
        LOG.warnf("gave up re-queueing the sessions of agent %s after 10000 rounds; the sweep will try again", agentId);
        return moved;
    }

    private boolean requeue(String agentId, String sessionId, KeyValue loadKv, AgentLoad load) {
        String sessionKey = Keyspace.session(sessionId);
        KeyValue sessionKv = etcd.get(sessionKey, "reading session " + sessionId);
        SessionRecord session =
                sessionKv == null ? null : RoutingJson.decode(sessionKv.getValue(), SessionRecord.class);
        Transactions.Builder txn = txns.begin().unchanged(Keyspace.load(agentId), loadKv.getModRevision());
        if (session == null || session.state() != SessionState.ASSIGNED || !agentId.equals(session.agentId())) {
            // The load names a session that is not this agent's (any more): only the load is wrong.
            if (sessionKv == null) {
                txn.absent(sessionKey);
            } else {
                txn.unchanged(sessionKey, sessionKv.getModRevision());
            }
            txn.put(Keyspace.load(agentId), load.minus(sessionId)).commit("dropping a stale session from a load");
            return false;
        }
        SessionRecord requeued = session.requeued();
        Transactions.Outcome outcome = txn.unchanged(sessionKey, sessionKv.getModRevision())
                .put(sessionKey, requeued)
                .put(QueueKeys.of(requeued), requeued)
                .put(Keyspace.load(agentId), load.minus(sessionId))
                .commit("re-queueing session " + sessionId + " of agent " + agentId);
        if (outcome.succeeded()) {
            transitions.requeued(requeued, agentId, outcome.revision());
            return true;
        }
        return false;
    }

    /** With no sessions left: delete the load of a departed agent, or bind it to the new lease. */
    private void settle(String agentId, KeyValue loadKv, AgentLoad load, KeyValue agentKv, Agent agent) {
        Transactions.Builder txn = txns.begin().unchanged(Keyspace.load(agentId), loadKv.getModRevision());
        if (agent == null) {
            txn.absent(Keyspace.agent(agentId))
                    .delete(Keyspace.load(agentId))
                    .commit("removing the load of departed agent " + agentId);
        } else {
            txn.unchanged(Keyspace.agent(agentId), agentKv.getModRevision())
                    .put(Keyspace.load(agentId), load.boundTo(agent.leaseId()))
                    .commit("binding the load of agent " + agentId + " to its new lease");
        }
    }
}
