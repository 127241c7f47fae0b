package io.meshdesk.routing.lifecycle;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.etcd.jetcd.KeyValue;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.EtcdUnavailableException;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.problem.Problem;
import io.meshdesk.routing.assignment.AgentPicker;
import io.meshdesk.routing.assignment.Assignments;
import io.meshdesk.routing.assignment.Assignments.NewSession;
import io.meshdesk.routing.json.RoutingJson;
import io.meshdesk.routing.settings.RoutingSettings;
import io.meshdesk.routing.state.AgentLoad;
import io.meshdesk.routing.state.QueueKeys;
import io.meshdesk.routing.state.RegionView;
import io.meshdesk.routing.state.Transactions;
import io.meshdesk.routing.state.Versioned;
import io.meshdesk.routing.transitions.SessionTransitions;
import io.meshdesk.session.contract.Priority;
import io.meshdesk.session.contract.SessionRecord;
import io.meshdesk.session.contract.SessionState;

/** Sessions arriving, being looked up and ending. */
public final class SessionDesk {

    private static final Logger LOG = Logger.getLogger(SessionDesk.class);

    private final BlockingEtcd etcd;
    private final Transactions txns;
    private final RegionView view;
    private final AgentPicker picker;
    private final Assignments assignments;
    private final SessionTransitions transitions;
    private final RoutingSettings settings;
    private final Clock clock;

    public SessionDesk(
            BlockingEtcd etcd,
            Transactions txns,
            RegionView view,
            AgentPicker picker,
            Assignments assignments,
            SessionTransitions transitions,
            RoutingSettings settings,
            Clock clock) {
        this.etcd = etcd;
        this.txns = txns;
        this.view = view;
        this.picker = picker;
        this.assignments = assignments;
        this.transitions = transitions;
        this.settings = settings;
        this.clock = clock;
    }

    /** The result of a route call, and whether the session already existed (an idempotent repeat). */
    public record Routed(RouteResult result, boolean existed) {}

    /**
     * Routes a new session: straight to a free agent when nobody waits, otherwise into the queue
     * (and out again at once if an agent suits it). The same sessionId again returns the session
     * as it is.
     */
    public Routed route(RouteRequest request, Priority priority) {
        // No read first: both transactions require the session key to be absent and hand back
        // the stored session when it is not, so a repeated request costs one round trip like a
        // new one.
        return decide(request, priority, committed);
    }

    /**
     * What {@link #route} would decide now, with nothing written (shadow mode, a canary's mirror
     * target): the same rules, with the agent the picker chooses in place of the assigning
     * transaction and the queue as this instance sees it in place of the queueing one. A session
     * already stored answers as stored (a read, which commits nothing).
     */
    public Routed preview(RouteRequest request, Priority priority) {
        view.requireReady();
        SessionRecord stored = read(request.sessionId());
        return stored != null ? existing(stored, request) : decide(request, priority, described);
    }

    /** How a routing decision takes effect: committed in etcd, or only described. */
    private interface Enactment {
        /** Gives the session to the best free agent, when one suits it. */
        NewSession assign(SessionRecord session, Instant now);

        /** Puts the session in the queue. */
        Routed enqueue(SessionRecord session, RouteRequest request);
    }

    private final Enactment committed = new Enactment() {
        @Override
        public NewSession assign(SessionRecord session, Instant now) {
            return assignments.assignNew(session);
        }

        @Override
        public Routed enqueue(SessionRecord session, RouteRequest request) {
            String key = Keyspace.session(session.sessionId());
            Transactions.Outcome outcome = txns.begin()
                    .absent(key)
                    .put(key, session)
                    .put(QueueKeys.of(session), session)
                    .commit("queueing session " + session.sessionId());
            if (!outcome.succeeded()) {
                KeyValue current = outcome.current(key);
                return existing(RoutingJson.decode(current.getValue(), SessionRecord.class), request);
            }
            return new Routed(describe(afterQueueing(session, outcome.revision())), false);
        }
    };

    private final Enactment described = new Enactment() {
        @Override
        public NewSession assign(SessionRecord session, Instant now) {
            return picker.pick(session, view, now)
                    .<NewSession>map(c -> new NewSession.Assigned(
                            session.assignedTo(c.agent().value().agentId(), now)))
                    .orElseGet(NewSession.NoAgent::new);
        }

        @Override
        public Routed enqueue(SessionRecord session, RouteRequest request) {
            return new Routed(describe(session), false);
        }
    };

    /** The routing decision, whichever way it takes effect. */
    private Routed decide(RouteRequest request, Priority priority, Enactment enact) {
        view.requireReady();
        Instant now = clock.instant();
        SessionRecord session = arriving(request, priority, now);
        if (view.queueEmpty()) {
            NewSession attempt = enact.assign(session, now);
            if (attempt instanceof NewSession.Assigned assigned) {
                return new Routed(describe(assigned.session()), false);
            }
            if (attempt instanceof NewSession.AlreadyExists other) {
                return existing(other.session().value(), request);
            }
        }
        return enact.enqueue(session, request);
    }

    /** The session as it arrives: queued, and waiting for its preferred agent when that one is worth it. */
    private SessionRecord arriving(RouteRequest request, Priority priority, Instant now) {
        SessionRecord session = new SessionRecord(
                request.sessionId(),
                settings.region(),
                request.customerId(),
                request.channel(),
                request.language(),
                request.skills(),
                priority,
                request.preferredAgentId(),
                null,
                settings.cost(request.channel()),
                SessionState.QUEUED,
                null,
                now,
                null,
                null,
                null,
                0);
        if (session.preferredAgentId() != null && picker.worthWaitingFor(session.preferredAgentId(), session, view)) {
            session = withPreferredWait(session, now);
        }
        return session;
    }

    /**
     * The session just queued, after a backfill that may assign it. The session is written by
     * now, so nothing that fails from here may become a 503 (a client would read it as "nothing
     * happened" and route again): the answer is then the session as this call's own transactions
     * wrote it, and the sweep and the other instances' watches finish the backfill.
     */
    private SessionRecord afterQueueing(SessionRecord queued, long revision) {
        SessionRecord known = queued;
        try {
            transitions.queued(queued, revision);
            Assignments.Drained drained = assignments.drainFor(queued.sessionId());
            if (drained.inCall() != null) {
                return drained.inCall();
            }
            // Another instance's backfill may have taken it meanwhile.
            Versioned<SessionRecord> current = readVersioned(queued.sessionId());
            return current != null ? current.value() : known;
        } catch (Problem | EtcdUnavailableException e) {
            if (e instanceof Problem p && p.status() < 500) {
                throw p;
            }
            LOG.warnf(
                    e,
                    "session %s is queued (revision %d); the backfill after it failed, so the answer is the queued "
                            + "session and the sweep backfills",
                    queued.sessionId(),
                    revision);
            return known;
        }
    }

    /**
     * A repeated route of the customer's own session answers it as it is; a session id that
     * belongs to another customer answers 409 and nothing about that session (no token, no state).
     */
    private Routed existing(SessionRecord stored, RouteRequest request) {
        if (!stored.customerId().equals(request.customerId())) {
            throw Problem.conflict("session " + stored.sessionId() + " already exists and is not yours; route without "
                    + "a sessionId to start a new session");
        }
        return new Routed(describe(stored), true);
    }

    private SessionRecord withPreferredWait(SessionRecord s, Instant now) {
        return s.withPreferredUntil(now.plus(settings.preferredAgentWait()));
    }

    public RouteResult get(String sessionId) {
        Versioned<SessionRecord> s = readVersioned(sessionId);
        if (s == null) {
            throw Problem.notFound("session " + sessionId + " does not exist (or was closed longer ago than the "
                    + "retention of " + settings.closedRetention().toHours() + " h)");
        }
        return describe(s.value());
    }

    /** Ends the session and frees its agent's capacity; closing a closed session returns it unchanged. */
    public RouteResult close(CloseRequest request) {
        long retentionLease = 0;
        for (int attempt = 0; attempt < settings.maxAttempts(); attempt++) {
            Versioned<SessionRecord> found = readVersioned(request.sessionId());
            if (found == null) {
                throw Problem.notFound("session " + request.sessionId() + " does not exist; nothing to close");
            }
            SessionRecord session = found.value();
            if (session.state() == SessionState.CLOSED) {
                return describe(session);
            }
            if (retentionLease == 0) {
                retentionLease = etcd.grantLease(
                        settings.closedRetention().toSeconds(),
                        "granting the retention lease of session " + session.sessionId());
            }
            SessionRecord closed = session.closedAs(request.outcome(), clock.instant());
            String key = Keyspace.session(session.sessionId());
            Transactions.Builder txn =
                    txns.begin().unchanged(key, found.modRevision()).put(key, closed, retentionLease);
            if (session.state() == SessionState.QUEUED) {
                txn.delete(QueueKeys.of(session));
            } else {
                String loadKey = Keyspace.load(session.agentId());
                KeyValue loadKv = etcd.get(loadKey, "reading the load of agent " + session.agentId());
                if (loadKv == null) {
                    txn.absent(loadKey);
                } else {
                    AgentLoad load = RoutingJson.decode(loadKv.getValue(), AgentLoad.class);
                    txn.unchanged(loadKey, loadKv.getModRevision()).put(loadKey, load.minus(session.sessionId()));
                }
            }
            Transactions.Outcome outcome = txn.commit("closing session " + session.sessionId());
            if (outcome.succeeded()) {
                transitions.closed(closed, outcome.revision());
                if (session.state() == SessionState.ASSIGNED) {
                    assignments.drain();
                }
                return describe(closed);
            }
        }
        throw Problem.conflict(
                "session " + request.sessionId() + " kept changing while it was being closed; try again");
    }

    /** The session as stored, or null. */
    public SessionRecord read(String sessionId) {
        Versioned<SessionRecord> s = readVersioned(sessionId);
        return s == null ? null : s.value();
    }

    private Versioned<SessionRecord> readVersioned(String sessionId) {
        KeyValue kv = etcd.get(Keyspace.session(sessionId), "reading session " + sessionId);
        return kv == null
                ? null
                : new Versioned<>(RoutingJson.decode(kv.getValue(), SessionRecord.class), kv.getModRevision());
    }

    private RouteResult describe(SessionRecord s) {
        if (s.state() != SessionState.QUEUED) {
            return RouteResult.of(s, null);
        }
        List<Versioned<SessionRecord>> order = view.queueInOrder(clock.instant(), settings.agingAfter());
        int position = 1;
        for (Versioned<SessionRecord> q : order) {
            if (q.value().sessionId().equals(s.sessionId())) {
                return RouteResult.of(s, position);
            }
            position++;
        }
        return RouteResult.of(s, order.size() + 1);
    }
}
