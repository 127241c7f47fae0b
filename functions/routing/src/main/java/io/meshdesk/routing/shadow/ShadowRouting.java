package io.meshdesk.routing.shadow;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.meshdesk.problem.Problem;
import io.meshdesk.routing.RoutingInstance;
import io.meshdesk.routing.RoutingSettings;
import io.meshdesk.routing.assignment.AgentPicker;
import io.meshdesk.routing.assignment.AgentPicker.Candidate;
import io.meshdesk.routing.session.Priority;
import io.meshdesk.routing.session.RouteRequest;
import io.meshdesk.routing.session.RouteResult;
import io.meshdesk.routing.session.Session;
import io.meshdesk.routing.session.SessionState;
import io.meshdesk.routing.view.RegionView;
import io.meshdesk.routing.view.Versioned;
import io.meshdesk.telemetry.LogFields;
import io.meshdesk.telemetry.ShadowMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * session-route in shadow mode (meshdesk.shadow=true, a canary's mirror target): the same rules
 * as SessionDesk decide against this instance's view of the region, and nothing is written, so a
 * mirrored copy of a customer's request never assigns or queues a second time. What it would
 * have decided goes to {@value #DECISIONS} and to one INFO line, for comparison with the stable
 * revision's decisions (meshdesk_routing_decision_seconds_count by outcome).
 */
@ApplicationScoped
public class ShadowRouting {

    /** meshdesk_shadow_decisions_total{function, outcome} in Prometheus. */
    public static final String DECISIONS = "meshdesk.shadow.decisions";

    private static final Logger LOG = Logger.getLogger(ShadowRouting.class);

    private final RoutingInstance routing;
    private final ShadowMode mode;
    private final MeterRegistry registry;
    private final AgentPicker picker;
    private final String function;
    private final Clock clock = Clock.systemUTC();

    ShadowRouting(
            RoutingInstance routing,
            ShadowMode mode,
            MeterRegistry registry,
            @ConfigProperty(name = "meshdesk.function") String function) {
        this.routing = routing;
        this.function = function;
        this.mode = mode;
        this.registry = registry;
        this.picker = new AgentPicker(routing.settings().region());
    }

    /** Whether this process is a shadow: session-route then goes through {@link #route}. */
    public boolean active() {
        return mode.shadow();
    }

    /**
     * What session-route would answer now, without its transactions: the session assigned to the
     * agent the picker chooses when nobody waits, otherwise queued behind the queue as seen. An id
     * already stored answers as stored (a read, which commits nothing).
     */
    public RouteResult route(RouteRequest request, Priority priority) {
        RegionView view = routing.view();
        view.requireReady();
        RoutingSettings settings = routing.settings();
        Session stored = routing.sessions().read(request.sessionId());
        if (stored != null) {
            if (!stored.customerId().equals(request.customerId())) {
                throw Problem.conflict("session " + stored.sessionId() + " already exists and is not yours; route "
                        + "without a sessionId to start a new session");
            }
            return decided(request, "existing", RouteResult.of(stored, null));
        }
        Instant now = clock.instant();
        Session session = new Session(
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
            session = session.withPreferredUntil(now.plus(settings.preferredAgentWait()));
        }
        Optional<Candidate> best = view.queueEmpty() ? picker.pick(session, view, now) : Optional.empty();
        if (best.isPresent()) {
            Session assigned = session.assignedTo(best.get().agent().value().agentId(), now);
            return decided(request, "assigned", RouteResult.of(assigned, null));
        }
        List<Versioned<Session>> queue = view.queueInOrder(now, settings.agingAfter());
        return decided(request, "queued", RouteResult.of(session, queue.size() + 1));
    }

    /** Counts a call refused before a decision (bad input, wrong caller) or not evaluated in shadow mode. */
    public void count(String outcome) {
        Counter.builder(DECISIONS)
                .description(
                        "What a shadow (canary mirror target) would have decided; nothing " + "of it was committed")
                .tag("function", function)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    private RouteResult decided(RouteRequest request, String outcome, RouteResult result) {
        count(outcome);
        try (LogFields s = LogFields.session(result.sessionId());
                LogFields a = LogFields.agent(result.agentId())) {
            LOG.infof(
                    "shadow routing decision (not committed): session %s %s%s%s",
                    result.sessionId(),
                    outcome,
                    result.agentId() != null ? " to agent " + result.agentId() : "",
                    result.queuePosition() != null ? " at queue position " + result.queuePosition() : "");
        }
        return result;
    }
}
