package io.meshdesk.routing.presence;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.identity.Caller;
import io.meshdesk.problem.Problem;
import io.meshdesk.routing.assignment.Assignments;
import io.meshdesk.routing.assignment.OrphanedSessions;
import io.meshdesk.routing.json.RoutingJson;
import io.meshdesk.routing.settings.RoutingSettings;
import io.meshdesk.routing.state.Agent;
import io.meshdesk.routing.state.AgentLoad;
import io.meshdesk.routing.state.AgentStatus;
import io.meshdesk.routing.state.Transactions;

/**
 * Agents coming, staying and going. An agent key lives only as long as its lease, which the
 * agent's heartbeats keep alive; what happens to its sessions when it leaves is
 * {@link OrphanedSessions}'s job.
 */
public final class Presence {

    private static final Logger LOG = Logger.getLogger(Presence.class);

    private final BlockingEtcd etcd;
    private final Transactions txns;
    private final Assignments assignments;
    private final OrphanedSessions orphans;
    private final RoutingSettings settings;
    private final Clock clock;

    public Presence(
            BlockingEtcd etcd,
            Transactions txns,
            Assignments assignments,
            OrphanedSessions orphans,
            RoutingSettings settings,
            Clock clock) {
        this.etcd = etcd;
        this.txns = txns;
        this.assignments = assignments;
        this.orphans = orphans;
        this.settings = settings;
        this.clock = clock;
    }

    /** Registers the agent in the default tenant (tests and tools that have no caller). */
    public AgentPresence register(AgentRegistration r) {
        return register(r, Caller.DEFAULT_TENANT);
    }

    /** Registers the agent as available, or updates it; a live lease is kept, a lapsed one replaced. */
    public AgentPresence register(AgentRegistration r, String tenant) {
        Instant now = clock.instant();
        KeyValue existingKv = etcd.get(Keyspace.agent(r.agentId()), "reading agent " + r.agentId());
        Agent existing = existingKv == null ? null : RoutingJson.decode(existingKv.getValue(), Agent.class);
        long ttl = settings.agentLeaseTtl().toSeconds();
        long leaseId = existing != null && leaseAlive(existing.leaseId()) > 0
                ? existing.leaseId()
                : etcd.grantLease(ttl, "granting the presence lease of agent " + r.agentId());
        Agent agent = new Agent(
                r.agentId(),
                r.displayName(),
                settings.region(),
                r.skills(),
                r.languages(),
                r.capacity(),
                r.weight(),
                AgentStatus.AVAILABLE,
                leaseId,
                existing != null ? existing.registeredAt() : now,
                tenant);
        putUnlessBelowLoad(agent, leaseId);
        txns.begin()
                .absent(Keyspace.load(r.agentId()))
                .put(Keyspace.load(r.agentId()), AgentLoad.fresh(r.agentId(), leaseId, now))
                .commit("creating the load of agent " + r.agentId());
        int requeued = orphans.requeueFor(r.agentId());
        LOG.infof(
                "agent %s registered in %s (lease %x, ttl %d s, capacity %d, weight %d)%s",
                r.agentId(),
                settings.region(),
                leaseId,
                ttl,
                r.capacity(),
                r.weight(),
                requeued > 0 ? "; " + requeued + " sessions of its previous lease were re-queued" : "");
        assignments.drain();
        return new AgentPresence(r.agentId(), leaseId, ttl, AgentStatus.AVAILABLE, requeued > 0 ? requeued : null);
    }

    /**
     * Writes the agent, refusing a capacity below the load it keeps: the sessions of its live
     * lease stay with it, so a smaller capacity would leave it over capacity. The write compares
     * the load it checked, so an assignment landing in between is seen, not overrun.
     */
    private void putUnlessBelowLoad(Agent agent, long leaseId) {
        String loadKey = Keyspace.load(agent.agentId());
        for (int attempt = 0; attempt < settings.maxAttempts(); attempt++) {
            KeyValue loadKv = etcd.get(loadKey, "reading the load of agent " + agent.agentId());
            AgentLoad load = loadKv == null ? null : RoutingJson.decode(loadKv.getValue(), AgentLoad.class);
            if (load != null && load.leaseId() == leaseId && agent.capacity() < load.used()) {
                throw Problem.conflict(
                        "agent " + agent.agentId() + " holds " + load.sessions().size()
                                + " sessions using " + load.used() + " capacity units, more than the capacity of "
                                + agent.capacity() + " asked for; nothing was changed. Close sessions until at most "
                                + agent.capacity() + " units are in use, or register with a capacity of at least "
                                + load.used());
            }
            // The agent before its load: a sweep removes a departed agent's load only while the
            // agent key is absent, so this order never leaves a registered agent without a load.
            var outcome = txns.begin()
                    .unchanged(loadKey, loadKv == null ? 0 : loadKv.getModRevision())
                    .put(Keyspace.agent(agent.agentId()), agent, leaseId)
                    .commit("registering agent " + agent.agentId());
            if (outcome.succeeded()) {
                return;
            }
        }
        throw Problem.conflict("agent " + agent.agentId() + " kept being assigned sessions while it was being "
                + "registered; try again");
    }

    /** Keeps the agent's lease alive. */
    public AgentPresence heartbeat(String agentId) {
        Agent agent = require(agentId).value;
        long ttl = leaseAlive(agent.leaseId());
        if (ttl <= 0) {
            throw Problem.notFound("agent " + agentId + " is not present: its presence lease expired; "
                    + "call agent-register again (heartbeats must come more often than every "
                    + settings.agentLeaseTtl().toSeconds() + " s)");
        }
        return new AgentPresence(agentId, agent.leaseId(), ttl, agent.status(), null);
    }

    /** available or away: the agent stays; offline: it leaves and its open sessions are re-queued. */
    public AgentPresence changeStatus(AgentStatusChange change) {
        for (int attempt = 0; attempt < settings.maxAttempts(); attempt++) {
            Found found = require(change.agentId());
            Agent agent = found.value;
            if (change.status() == AgentStatus.OFFLINE) {
                KeyValue loadKv = etcd.get(Keyspace.load(agent.agentId()), "reading the load of " + agent.agentId());
                var outcome = txns.begin()
                        .unchanged(Keyspace.agent(agent.agentId()), found.revision)
                        .unchanged(Keyspace.load(agent.agentId()), loadKv == null ? 0 : loadKv.getModRevision())
                        .delete(Keyspace.agent(agent.agentId()))
                        .commit("taking agent " + agent.agentId() + " offline");
                if (!outcome.succeeded()) {
                    continue;
                }
                revokeQuietly(agent.leaseId());
                // Other instances (and this one's watch) react to the departure too; whoever moves
                // a session, it moves once. When this returns, every one of them is back in the queue.
                orphans.requeueFor(agent.agentId());
                int requeued = loadKv == null
                        ? 0
                        : RoutingJson.decode(loadKv.getValue(), AgentLoad.class)
                                .sessions()
                                .size();
                LOG.infof("agent %s went offline; its %d sessions were re-queued", agent.agentId(), requeued);
                assignments.drain();
                return new AgentPresence(agent.agentId(), agent.leaseId(), 0, AgentStatus.OFFLINE, requeued);
            }
            var outcome = txns.begin()
                    .unchanged(Keyspace.agent(agent.agentId()), found.revision)
                    .put(Keyspace.agent(agent.agentId()), agent.withStatus(change.status()), agent.leaseId())
                    .commit("setting agent " + agent.agentId() + " " + change.status());
            if (outcome.succeeded()) {
                if (change.status() == AgentStatus.AVAILABLE) {
                    assignments.drain();
                }
                return new AgentPresence(
                        agent.agentId(),
                        agent.leaseId(),
                        settings.agentLeaseTtl().toSeconds(),
                        change.status(),
                        null);
            }
        }
        throw Problem.conflict(
                "agent " + change.agentId() + " kept changing while its status was being set; try again");
    }

    /** The tenant of a registered agent (null for records written before agents had one), or empty when absent. */
    public Optional<String> tenantOf(String agentId) {
        KeyValue kv = etcd.get(Keyspace.agent(agentId), "reading agent " + agentId);
        return kv == null
                ? Optional.empty()
                : Optional.of(Objects.requireNonNullElse(
                        RoutingJson.decode(kv.getValue(), Agent.class).tenant(), Caller.DEFAULT_TENANT));
    }

    private record Found(Agent value, long revision) {}

    private Found require(String agentId) {
        KeyValue kv = etcd.get(Keyspace.agent(agentId), "reading agent " + agentId);
        if (kv == null) {
            throw Problem.notFound("agent " + agentId + " is not registered, or its presence lease expired; "
                    + "call agent-register first");
        }
        return new Found(RoutingJson.decode(kv.getValue(), Agent.class), kv.getModRevision());
    }

    /** The lease's remaining TTL after a keep-alive, or 0 when etcd no longer has it. */
    private long leaseAlive(long leaseId) {
        try {
            LeaseKeepAliveResponse response = etcd.await(
                    etcd.client().getLeaseClient().keepAliveOnce(leaseId),
                    "renewing lease " + Long.toHexString(leaseId));
            return Math.max(0, response.getTTL());
        } catch (BlockingEtcd.NotFoundInEtcd e) {
            return 0;
        }
    }

    private void revokeQuietly(long leaseId) {
        try {
            etcd.await(etcd.client().getLeaseClient().revoke(leaseId), "revoking lease " + Long.toHexString(leaseId));
        } catch (RuntimeException e) {
            LOG.debugf(
                    e,
                    "revoking lease %x of an agent going offline failed; it was already gone or expires by itself",
                    leaseId);
        }
    }
}
