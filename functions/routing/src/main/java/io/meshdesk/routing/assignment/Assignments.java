package io.meshdesk.routing.assignment;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.meshdesk.etcd.Keyspace;
import io.meshdesk.routing.assignment.AgentPicker.Candidate;
import io.meshdesk.routing.json.RoutingJson;
import io.meshdesk.routing.metrics.RoutingMetrics;
import io.meshdesk.routing.settings.RoutingSettings;
import io.meshdesk.routing.state.AgentLoad;
import io.meshdesk.routing.state.QueueKeys;
import io.meshdesk.routing.state.RegionView;
import io.meshdesk.routing.state.Transactions;
import io.meshdesk.routing.state.Versioned;
import io.meshdesk.routing.transitions.SessionTransitions;
import io.meshdesk.session.contract.SessionRecord;
import io.meshdesk.session.contract.SessionState;

/**
 * Gives sessions to agents, each assignment one etcd transaction that compares the revisions
 * it decided on: the agent (status, capacity, lease), its load and the session. A lost race
 * reads back the fresh values in the same round trip, and the caller picks again.
 */
public final class Assignments {

    private final Transactions txns;
    private final RegionView view;
    private final AgentPicker picker;
    private final SessionTransitions transitions;
    private final RoutingMetrics metrics;
    private final RoutingSettings settings;
    private final Clock clock;
    private final Object drainLock = new Object();
    /** Agents this instance is committing an assignment to right now, with how many. */
    private final Map<String, Integer> inFlight = new HashMap<>();
    /**
     * Agents this instance assigned to, with the revision of that assignment, until the view has
     * caught up with it: picked again before, they would be offered at their old load revision
     * and the transaction would lose for nothing.
     */
    private final Map<String, Long> committed = new HashMap<>();

    public Assignments(
            Transactions txns,
            RegionView view,
            AgentPicker picker,
            SessionTransitions transitions,
            RoutingMetrics metrics,
            RoutingSettings settings,
            Clock clock) {
        this.metrics = metrics;
        this.txns = txns;
        this.view = view;
        this.picker = picker;
        this.transitions = transitions;
        this.settings = settings;
        this.clock = clock;
    }

    /** What became of an attempt to create a session already assigned. */
    public sealed interface NewSession {
        record Assigned(SessionRecord session) implements NewSession {}

        record AlreadyExists(Versioned<SessionRecord> session) implements NewSession {}

        record NoAgent() implements NewSession {}
    }

    /**
     * Creates the session assigned to the best agent in one transaction, when one is free.
     * Gives up (NoAgent) when no agent suits or every try lost a race; the caller then queues.
     */
    public NewSession assignNew(SessionRecord session) {
        for (int attempt = 0; attempt < settings.maxAttempts(); attempt++) {
            Instant now = clock.instant();
            Optional<Candidate> best = pickAndHold(session, now, attempt);
            if (best.isEmpty()) {
                return new NewSession.NoAgent();
            }
            Candidate c = best.get();
            String agentId = c.agent().value().agentId();
            SessionRecord assigned = session.assignedTo(agentId, now);
            String sessionKey = Keyspace.session(session.sessionId());
            Transactions.Outcome outcome = null;
            try {
                outcome = txns.begin()
                        .absent(sessionKey)
                        .unchanged(Keyspace.agent(agentId), c.agent().modRevision())
                        .unchanged(Keyspace.load(agentId), c.load().modRevision())
                        .put(sessionKey, assigned)
                        .put(Keyspace.load(agentId), c.load().value().plus(session.sessionId(), session.cost(), now))
                        .commit("assigning session " + session.sessionId() + " to agent " + agentId);
            } finally {
                release(agentId, outcome);
            }
            if (outcome.succeeded()) {
                transitions.assigned(assigned, outcome.revision());
                return new NewSession.Assigned(assigned);
            }
            var existing = outcome.current(sessionKey);
            if (existing != null) {
                return new NewSession.AlreadyExists(new Versioned<>(
                        RoutingJson.decode(existing.getValue(), SessionRecord.class), existing.getModRevision()));
            }
            metrics.assignmentConflict();
        }
        return new NewSession.NoAgent();
    }

    /**
     * Serves the queue in order while agents have room: the backfill that follows anything that
     * frees capacity or adds an agent. Returns how many sessions it assigned.
     */
    public int drain() {
        return drain(null);
    }

    /**
     * As {@link #drain()}, from the session-route call of sessionInCall: that call logs its own
     * decision, so the backfill does not log it again.
     */
    public int drain(String sessionInCall) {
        return drainFor(sessionInCall).assigned();
    }

    /** What a backfill did: how many sessions it assigned, and the call's own session if it was one. */
    public record Drained(int assigned, SessionRecord inCall) {}

    /**
     * As {@link #drain(String)}, and hands back sessionInCall as its assigning transaction wrote
     * it, so the call can answer from that transaction rather than from a read that may fail.
     */
    public Drained drainFor(String sessionInCall) {
        synchronized (drainLock) {
            int assigned = 0;
            SessionRecord inCall = null;
            // A pass that lost no race has assigned all it could; one that lost a race saw the
            // view refreshed by the losing transaction and is worth another pass.
            for (int pass = 0; pass < settings.maxAttempts(); pass++) {
                boolean lostRace = false;
                Instant now = clock.instant();
                for (Versioned<SessionRecord> queued : view.queueInOrder(now, settings.agingAfter())) {
                    if (!anyAgentHasRoom()) {
                        return new Drained(assigned, inCall);
                    }
                    Optional<Candidate> best = pickAndHold(queued.value(), now, pass);
                    if (best.isEmpty()) {
                        continue;
                    }
                    Transactions.Outcome outcome = null;
                    try {
                        outcome = assignQueued(queued, best.get(), now, sessionInCall);
                    } finally {
                        release(best.get().agent().value().agentId(), outcome);
                    }
                    if (outcome != null && outcome.succeeded()) {
                        assigned++;
                        if (queued.value().sessionId().equals(sessionInCall)) {
                            inCall = queued.value()
                                    .assignedTo(best.get().agent().value().agentId(), now);
                        }
                    } else {
                        lostRace = true;
                    }
                }
                if (!lostRace) {
                    break;
                }
            }
            return new Drained(assigned, inCall);
        }
    }

    /** Picks an agent and marks it in flight, in one step so two decisions cannot both take it. */
    private Optional<Candidate> pickAndHold(SessionRecord session, Instant now, int lostRaces) {
        synchronized (inFlight) {
            Optional<Candidate> best = picker.pick(session, view, now, lostRaces, this::busyHere);
            best.ifPresent(c -> inFlight.merge(c.agent().value().agentId(), 1, Integer::sum));
            return best;
        }
    }

    /** Called with the lock held. */
    private boolean busyHere(String agentId) {
        if (inFlight.containsKey(agentId)) {
            return true;
        }
        Long revision = committed.get(agentId);
        if (revision == null) {
            return false;
        }
        Versioned<AgentLoad> seen = view.load(agentId);
        if (seen != null && seen.modRevision() >= revision) {
            committed.remove(agentId);
            return false;
        }
        return true;
    }

    private void release(String agentId, Transactions.Outcome outcome) {
        synchronized (inFlight) {
            inFlight.computeIfPresent(agentId, (id, n) -> n == 1 ? null : n - 1);
            if (outcome != null && outcome.succeeded()) {
                committed.merge(agentId, outcome.revision(), Math::max);
            }
        }
    }

    private boolean anyAgentHasRoom() {
        int smallest = settings.channelCost().values().stream()
                .mapToInt(Integer::intValue)
                .min()
                .orElse(1);
        return view.agents().stream().anyMatch(a -> {
            Versioned<AgentLoad> load = view.load(a.value().agentId());
            return load != null && picker.hasRoom(a.value(), load.value(), smallest);
        });
    }

    /** The transaction's outcome, or null when the session is no longer queued. */
    private Transactions.Outcome assignQueued(
            Versioned<SessionRecord> queued, Candidate c, Instant now, String sessionInCall) {
        SessionRecord session = queued.value();
        if (session.state() != SessionState.QUEUED) {
            return null;
        }
        String agentId = c.agent().value().agentId();
        SessionRecord assigned = session.assignedTo(agentId, now);
        Transactions.Outcome outcome = txns.begin()
                // The queue entry is written in the same transaction as the session, so its
                // revision is the session's: an unchanged session is still this queued one.
                .unchanged(Keyspace.session(session.sessionId()), queued.modRevision())
                .unchanged(Keyspace.agent(agentId), c.agent().modRevision())
                .unchanged(Keyspace.load(agentId), c.load().modRevision())
                .put(Keyspace.session(session.sessionId()), assigned)
                .put(Keyspace.load(agentId), c.load().value().plus(session.sessionId(), session.cost(), now))
                .delete(QueueKeys.of(session))
                .commit("assigning queued session " + session.sessionId() + " to agent " + agentId);
        if (outcome.succeeded()) {
            if (session.sessionId().equals(sessionInCall)) {
                transitions.assigned(assigned, outcome.revision());
            } else {
                transitions.assignedFromQueue(assigned, outcome.revision());
            }
        } else {
            metrics.assignmentConflict();
        }
        return outcome;
    }
}
