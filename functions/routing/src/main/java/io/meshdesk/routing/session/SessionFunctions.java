package io.meshdesk.routing.session;

import java.time.Duration;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.problem.FunctionInput;
import io.meshdesk.problem.Problem;
import io.meshdesk.routing.RoutingInstance;
import io.meshdesk.routing.metrics.RoutingMetrics;
import io.meshdesk.routing.metrics.RoutingMetrics.DecisionOutcome;
import io.meshdesk.telemetry.LogFields;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/** {@code session-route}, {@code session-close}, {@code session-get}. */
public class SessionFunctions {

    private static final Logger LOG = Logger.getLogger(SessionFunctions.class);

    /**
     * The caller's role. In a cluster the mesh sets it from the verified JWT claim and removes
     * any copy a client sent, so whatever arrives here is trusted.
     */
    static final String ROLE_HEADER = "x-user-role";

    /** The caller's identity: set by the mesh from the verified JWT in a cluster, by the client locally. */
    static final String PARTICIPANT_HEADER = "x-participant-id";

    private final RoutingInstance routing;
    private final RoutingMetrics metrics;
    private final CurrentVertxRequest request;

    SessionFunctions(RoutingInstance routing, CurrentVertxRequest request) {
        this.routing = routing;
        this.metrics = routing.metrics();
        this.request = request;
    }

    @Funq("session-route")
    public RouteResult route(JsonNode input) {
        long start = System.nanoTime();
        RouteRequest parsed = null;
        RouteResult result = null;
        DecisionOutcome outcome = DecisionOutcome.FAILED;
        String why = "";
        try {
            parsed = FunctionInput.read(SessionIds.withDerivedId(input, header(SessionIds.IDEMPOTENCY_HEADER)),
                    RouteRequest.class);
            LOG.debugf("session-route asked for customer %s: channel %s, language %s, skills %s, preferred agent %s",
                    parsed.customerId(), parsed.channel(), parsed.language(), parsed.skills(), parsed.preferredAgentId());
            SessionDesk.Routed routed = routing.sessions().route(parsed, priority());
            result = routed.result();
            outcome = routed.existed() ? DecisionOutcome.EXISTING
                    : result.state() == SessionState.ASSIGNED ? DecisionOutcome.ASSIGNED
                            : DecisionOutcome.QUEUED;
            return result.withCustomerToken(routing.chatAccess().customerToken(result, parsed.customerId()));
        } catch (Problem p) {
            outcome = p.status() < 500 ? DecisionOutcome.REJECTED : DecisionOutcome.FAILED;
            why = ": " + p.getMessage();
            throw p;
        } finally {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            metrics.decision(outcome, took);
            if (parsed != null) {
                metrics.channelRequest(parsed.channel(), outcome);
            }
            logDecision(parsed, result, outcome, took, why);
        }
    }

    /** The one line per routing decision that ops search for: session, outcome, agent, wait. */
    private static void logDecision(RouteRequest request, RouteResult result, DecisionOutcome outcome, Duration took,
            String why) {
        String session = result != null ? result.sessionId() : request != null ? request.sessionId() : null;
        try (LogFields s = LogFields.session(session);
                LogFields a = LogFields.agent(result == null ? null : result.agentId())) {
            String waited = result != null && result.enqueuedAt() != null && result.assignedAt() != null
                    ? Duration.between(result.enqueuedAt(), result.assignedAt()).toMillis() + " ms"
                    : "-";
            LOG.infof("routing decision: session %s %s%s (waited %s, decided in %d ms)%s",
                    session == null ? "(none)" : session, outcome.label(),
                    result != null && result.agentId() != null ? " to agent " + result.agentId() : "",
                    waited, took.toMillis(), why);
        }
    }

    @Funq("session-close")
    public RouteResult close(JsonNode input) {
        CloseRequest request = FunctionInput.read(input, CloseRequest.class);
        try (LogFields s = LogFields.session(request.sessionId())) {
            return routing.sessions().close(request);
        }
    }

    @Funq("session-get")
    public RouteResult get(JsonNode input) {
        return routing.sessions().get(FunctionInput.read(input, SessionRef.class).sessionId());
    }

    @Funq("session-token")
    public TokenIssued token(JsonNode input) {
        return routing.chatAccess().tokenFor(FunctionInput.read(input, TokenRequest.class), header(PARTICIPANT_HEADER));
    }

    private String header(String name) {
        return request.getCurrent() == null ? null : request.getCurrent().request().getHeader(name);
    }

    private Priority priority() {
        String role = header(ROLE_HEADER);
        if (role == null || role.isBlank()) {
            return Priority.STANDARD;
        }
        return switch (role.trim().toLowerCase()) {
            case "premium" -> Priority.PREMIUM;
            case "standard" -> Priority.STANDARD;
            default -> throw Problem.invalid(ROLE_HEADER, "header " + ROLE_HEADER + " is '" + role
                    + "'; it must be premium or standard");
        };
    }
}
