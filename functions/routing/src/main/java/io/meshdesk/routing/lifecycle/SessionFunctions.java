package io.meshdesk.routing.lifecycle;

import java.time.Duration;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.etcd.EtcdUnavailableException;
import io.meshdesk.identity.AuthProblem;
import io.meshdesk.identity.Caller;
import io.meshdesk.identity.Group;
import io.meshdesk.identity.Identity;
import io.meshdesk.problem.FunctionInput;
import io.meshdesk.problem.Problem;
import io.meshdesk.routing.metrics.RoutingMetrics;
import io.meshdesk.routing.metrics.RoutingMetrics.DecisionOutcome;
import io.meshdesk.routing.presence.Presence;
import io.meshdesk.routing.shadow.ShadowRouting;
import io.meshdesk.session.contract.Priority;
import io.meshdesk.session.contract.SessionRecord;
import io.meshdesk.session.contract.SessionState;
import io.meshdesk.telemetry.LogFields;
import io.quarkus.funqy.Funq;

/** {@code session-route}, {@code session-close}, {@code session-get}. */
public class SessionFunctions {

    private static final Logger LOG = Logger.getLogger(SessionFunctions.class);

    private final SessionDesk sessions;
    private final ChatAccess chatAccess;
    private final Presence presence;
    private final RoutingMetrics metrics;
    private final Identity identity;
    private final ShadowRouting shadow;

    SessionFunctions(
            SessionDesk sessions,
            ChatAccess chatAccess,
            Presence presence,
            RoutingMetrics metrics,
            Identity identity,
            ShadowRouting shadow) {
        this.sessions = sessions;
        this.chatAccess = chatAccess;
        this.presence = presence;
        this.metrics = metrics;
        this.identity = identity;
        this.shadow = shadow;
    }

    @Funq("session-route")
    public RouteResult route(JsonNode input) {
        if (shadow.active()) {
            return shadowRoute(input);
        }
        long start = System.nanoTime();
        RouteRequest parsed = null;
        RouteResult result = null;
        DecisionOutcome outcome = DecisionOutcome.FAILED;
        String why = "";
        try {
            Caller caller = identity.caller().require("session-route", Group.CUSTOMER);
            parsed = forCaller(FunctionInput.read(input, RouteRequest.class), caller);
            LOG.debugf(
                    "session-route asked for customer %s: channel %s, language %s, skills %s, preferred agent %s",
                    parsed.customerId(),
                    parsed.channel(),
                    parsed.language(),
                    parsed.skills(),
                    parsed.preferredAgentId());
            SessionDesk.Routed routed = sessions.route(parsed, priority(caller));
            result = routed.result();
            outcome = outcome(routed);
            return result.withCustomerToken(chatAccess.customerToken(result, parsed.customerId()));
        } catch (Problem | EtcdUnavailableException e) {
            outcome = e instanceof Problem p && p.status() < 500 ? DecisionOutcome.REJECTED : DecisionOutcome.FAILED;
            why = ": " + e.getMessage();
            throw e;
        } finally {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            metrics.decision(outcome, took);
            if (parsed != null) {
                metrics.channelRequest(parsed.channel(), outcome);
            }
            logDecision(parsed, result, outcome, took, why);
        }
    }

    /**
     * A canary's mirror target (meshdesk.shadow=true): the same caller and input checks, then the
     * decision without its transactions and without a chat token (no session exists to join).
     */
    private RouteResult shadowRoute(JsonNode input) {
        try {
            Caller caller = identity.caller().require("session-route", Group.CUSTOMER);
            SessionDesk.Routed routed = sessions.preview(
                    forCaller(FunctionInput.read(input, RouteRequest.class), caller), priority(caller));
            RouteResult result = routed.result();
            shadow.decided(result.sessionId(), outcome(routed).label(), result.agentId(), result.queuePosition());
            return result;
        } catch (Problem p) {
            shadow.count("rejected");
            throw p;
        }
    }

    private static DecisionOutcome outcome(SessionDesk.Routed routed) {
        if (routed.existed()) {
            return DecisionOutcome.EXISTING;
        }
        return routed.result().state() == SessionState.ASSIGNED ? DecisionOutcome.ASSIGNED : DecisionOutcome.QUEUED;
    }

    /** The one line per routing decision that ops search for: session, outcome, agent, wait. */
    private static void logDecision(
            RouteRequest request, RouteResult result, DecisionOutcome outcome, Duration took, String why) {
        String session = result != null ? result.sessionId() : request != null ? request.sessionId() : null;
        try (LogFields s = LogFields.session(session);
                LogFields a = LogFields.agent(result == null ? null : result.agentId())) {
            String waited = result != null && result.enqueuedAt() != null && result.assignedAt() != null
                    ? Duration.between(result.enqueuedAt(), result.assignedAt()).toMillis() + " ms"
                    : "-";
            LOG.infof(
                    "routing decision: session %s %s%s (waited %s, decided in %d ms)%s",
                    session == null ? "(none)" : session,
                    outcome.label(),
                    result != null && result.agentId() != null ? " to agent " + result.agentId() : "",
                    waited,
                    took.toMillis(),
                    why);
        }
    }

    /** Its customer, its agent, a supervisor of the agent's tenant, or another function may close a session. */
    @Funq("session-close")
    public RouteResult close(JsonNode input) {
        CloseRequest request = FunctionInput.read(input, CloseRequest.class);
        try (LogFields s = LogFields.session(request.sessionId())) {
            participantOrDelegate("session-close", request.sessionId(), false);
            return sessions.close(request);
        }
    }

    /** As session-close, and ops too (a read). */
    @Funq("session-get")
    public RouteResult get(JsonNode input) {
        String sessionId = FunctionInput.read(input, SessionRef.class).sessionId();
        participantOrDelegate("session-get", sessionId, true);
        return sessions.get(sessionId);
    }

    @Funq("session-token")
    public TokenIssued token(JsonNode input) {
        return chatAccess.tokenFor(FunctionInput.read(input, TokenRequest.class), identity.caller());
    }

    /** The customer is the token's subject; a body that names another is refused, not corrected. */
    private static RouteRequest forCaller(RouteRequest request, Caller caller) {
        if (request.customerId() != null && !request.customerId().equals(caller.subject())) {
            throw AuthProblem.forbidden(
                    "session-route: a customer routes only its own sessions; this token is customer " + caller.subject()
                            + ", the body names customerId " + request.customerId());
        }
        return request.forCustomer(caller.subject());
    }

    /** The verified tier; a token without one is standard. */
    private static Priority priority(Caller caller) {
        return caller.premium() ? Priority.PREMIUM : Priority.STANDARD;
    }

    private void participantOrDelegate(String function, String sessionId, boolean read) {
        Caller caller = identity.caller();
        if (caller.in(Group.SERVICE) || read && caller.in(Group.OPS)) {
            return;
        }
        SessionRecord session = sessions.read(sessionId);
        if (session == null) {
            return; // the function answers 404 for it, and says nothing that an existing one would not
        }
        if (caller.in(Group.CUSTOMER) && caller.subject().equals(session.customerId())
                || caller.in(Group.AGENT) && caller.subject().equals(session.agentId())) {
            return;
        }
        if (caller.in(Group.SUPERVISOR)
                && session.agentId() != null
                && presence.tenantOf(session.agentId())
                        .map(tenant -> caller.mayActForAgent(session.agentId(), tenant))
                        .orElse(false)) {
            return;
        }
        throw AuthProblem.forbidden(function + ": only the session's customer, its agent, a supervisor of that agent's "
                + "tenant" + (read ? ", ops" : "") + " or another meshdesk function (service) may do this; "
                + caller.subject() + " (" + caller.describeGroups() + ") is none of them for session " + sessionId);
    }
}
