package io.meshdesk.routing;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.DaemonThreads;
import io.meshdesk.etcd.StartupLoad;
import io.meshdesk.events.EventSink;
import io.meshdesk.routing.assignment.AgentPicker;
import io.meshdesk.routing.assignment.Assignments;
import io.meshdesk.routing.assignment.OrphanedSessions;
import io.meshdesk.routing.audit.Audit;
import io.meshdesk.routing.lifecycle.ChatAccess;
import io.meshdesk.routing.lifecycle.SessionDesk;
import io.meshdesk.routing.metrics.RoutingMetrics;
import io.meshdesk.routing.presence.Presence;
import io.meshdesk.routing.queue.QueueStatus;
import io.meshdesk.routing.session.Priority;
import io.meshdesk.routing.settings.RoutingSettings;
import io.meshdesk.routing.state.Agent;
import io.meshdesk.routing.state.AgentLoad;
import io.meshdesk.routing.state.AgentStatus;
import io.meshdesk.routing.state.RegionView;
import io.meshdesk.routing.state.Transactions;
import io.meshdesk.routing.state.Versioned;
import io.meshdesk.routing.transitions.SessionTransitions;
import io.meshdesk.token.SessionTokens;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * One routing instance: its view of the region and the parts that act on it. Any number of
 * these may run against one etcd; none assumes it is the only one.
 */
public final class RoutingInstance implements AutoCloseable, RegionView.Changes {

    private static final Logger LOG = Logger.getLogger(RoutingInstance.class);

    private final RoutingSettings settings;
    private final RoutingMetrics metrics;
    private final Clock clock;
    private final RegionView view;
    private final Assignments assignments;
    private final OrphanedSessions orphans;
    private final Presence presence;
    private final SessionDesk sessions;
    private final Audit audit;
    private final ChatAccess chatAccess;
    private final ExecutorService background =
            Executors.newSingleThreadExecutor(DaemonThreads.named("routing-backfill"));
    private final AtomicBoolean drainPending = new AtomicBoolean();
    private final Tracer tracer;
    /** A canary's mirror target (meshdesk.shadow=true) writes nothing: no sweep, no backfill, no re-queueing. */
    private volatile boolean shadow;

    public RoutingInstance(
            BlockingEtcd etcd,
            RoutingSettings settings,
            EventSink sink,
            RoutingMetrics metrics,
            SessionTokens tokens,
            Clock clock) {
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.tracer = etcd.tracer();
        this.view = new RegionView(etcd, settings.region());
        Transactions txns = Transactions.on(etcd, view);
        AgentPicker picker = new AgentPicker(settings.region());
        SessionTransitions transitions = new SessionTransitions(sink, metrics, settings.region());
        this.assignments = new Assignments(txns, view, picker, transitions, metrics, settings, clock);
        this.orphans = new OrphanedSessions(etcd, txns, transitions);
        this.presence = new Presence(etcd, txns, assignments, orphans, settings, clock);
        this.sessions = new SessionDesk(etcd, txns, view, picker, assignments, transitions, settings, clock);
        this.audit = new Audit(etcd);
        this.chatAccess = new ChatAccess(sessions, tokens);
        for (Priority p : Priority.values()) {
            metrics.queueDepthGauge(p, () -> queueStatus().depth().get(p));
        }
        for (AgentStatus s : new AgentStatus[] {AgentStatus.AVAILABLE, AgentStatus.AWAY}) {
            metrics.agentsGauge(
                    s,
                    () -> view.agents().stream()
                            .filter(a -> a.value().status() == s)
                            .count());
        }
        metrics.agentCapacityGauge(
                "total",
                () -> view.agents().stream().mapToInt(a -> a.value().capacity()).sum());
        metrics.agentCapacityGauge(
                "used",
                () -> view.agents().stream()
                        .mapToInt(a -> {
                            Versioned<AgentLoad> load = view.load(a.value().agentId());
                            return load == null ? 0 : load.value().used();
                        })
                        .sum());
        view.onChanges(this);
    }

    public RoutingInstance start() {
        view.start();
        return this;
    }

    /** Makes this instance a shadow: its watches and sweep no longer write (see io.meshdesk.routing.shadow). */
    public RoutingInstance shadow() {
        shadow = true;
        return this;
    }

    public boolean ready() {
        return view.ready();
    }

    /** The region view's first load from etcd, which readiness waits for. */
    public StartupLoad startupLoad() {
        return view.load();
    }

    public Presence presence() {
        return presence;
    }

    public SessionDesk sessions() {
        return sessions;
    }

    public RoutingMetrics metrics() {
        return metrics;
    }

    public ChatAccess chatAccess() {
        return chatAccess;
    }

    /** The region as this instance's watches see it; live updates listen to its changes. */
    public RegionView view() {
        return view;
    }

    public RoutingSettings settings() {
        return settings;
    }

    public Audit audit() {
        return audit;
    }

    public QueueStatus queueStatus() {
        return QueueStatus.of(view, settings, clock.instant());
    }

    /**
     * The periodic safety net: re-queue sessions of agents that left while no instance was
     * watching (or whose instance crashed half way), and serve the queue for the waits that
     * only time ends (preferred agent, aging).
     */
    public void sweep() {
        if (!view.ready() || shadow) {
            return;
        }
        try {
            for (Versioned<AgentLoad> load : view.loads()) {
                Versioned<Agent> agent = view.agent(load.value().agentId());
                boolean orphaned =
                        agent == null || agent.value().leaseId() != load.value().leaseId();
                if (orphaned) {
                    orphans.requeueFor(load.value().agentId());
                }
            }
            assignments.drain();
        } catch (RuntimeException e) {
            LOG.warnf(
                    e,
                    "routing sweep of region %s (re-queueing orphaned sessions, then serving the queue) did not finish; "
                            + "the next sweep tries again",
                    settings.region());
        }
    }

    @Override
    public void agentGone(String agentId) {
        if (shadow) {
            return;
        }
        background.execute(() -> {
            try {
                traced("routing requeue", "meshdesk.agent_id", agentId, () -> {
                    orphans.requeueFor(agentId);
                    assignments.drain();
                });
            } catch (RuntimeException e) {
                LOG.warnf(e, "re-queueing the sessions of departed agent %s failed; the sweep will retry", agentId);
            }
        });
    }

    @Override
    public void capacityMayHaveFreed() {
        if (!shadow && drainPending.compareAndSet(false, true)) {
            background.execute(() -> {
                drainPending.set(false);
                try {
                    traced("routing backfill", "meshdesk.region", settings.region(), assignments::drain);
                } catch (RuntimeException e) {
                    LOG.debugf(
                            e,
                            "backfill of region %s after freed capacity failed; the sweep will retry",
                            settings.region());
                }
            });
        }
    }

    /**
     * Work that an etcd watch set off has no request to hang from: it gets a trace of its own,
     * whose etcd transactions are its children.
     */
    private void traced(String name, String attribute, String value, Runnable work) {
        Span span = tracer.spanBuilder(name)
                .setAttribute(attribute, value)
                .setAttribute("meshdesk.region", settings.region())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            work.run();
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            span.end();
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
        view.close();
    }
}
