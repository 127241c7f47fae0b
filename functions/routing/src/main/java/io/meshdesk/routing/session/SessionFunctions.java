package io.meshdesk.routing.session;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.problem.FunctionInput;
import io.meshdesk.problem.Problem;
import io.meshdesk.routing.RoutingInstance;
import io.meshdesk.routing.metrics.RoutingMetrics;
import io.meshdesk.routing.metrics.RoutingMetrics.DecisionOutcome;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/** {@code session-route}, {@code session-close}, {@code session-get}. */
public class SessionFunctions {

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
        DecisionOutcome outcome = DecisionOutcome.FAILED;
        try {
            parsed = FunctionInput.read(input, RouteRequest.class);
            SessionDesk.Routed routed = routing.sessions().route(parsed, priority());
            outcome = routed.existed() ? DecisionOutcome.EXISTING
                    : routed.result().state() == SessionState.ASSIGNED ? DecisionOutcome.ASSIGNED
                            : DecisionOutcome.QUEUED;
            return routed.result().withCustomerToken(
                    routing.chatAccess().customerToken(routed.result(), parsed.customerId()));
        } catch (Problem p) {
            outcome = p.status() < 500 ? DecisionOutcome.REJECTED : DecisionOutcome.FAILED;
            throw p;
        } finally {
            metrics.decision(outcome, Duration.ofNanos(System.nanoTime() - start));
            if (parsed != null) {
                metrics.channelRequest(parsed.channel(), outcome);
            }
        }
    }

    @Funq("session-close")
    public RouteResult close(JsonNode input) {
        return routing.sessions().close(FunctionInput.read(input, CloseRequest.class));
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
