package io.meshdesk.routing.lifecycle;

import io.meshdesk.identity.AuthProblem;
import io.meshdesk.identity.Caller;
import io.meshdesk.identity.Group;
import io.meshdesk.problem.Problem;
import io.meshdesk.session.contract.SessionRecord;
import io.meshdesk.session.contract.SessionState;
import io.meshdesk.token.ParticipantRole;
import io.meshdesk.token.SessionTokens;

/**
 * Who may join a session's chat: its customer, and the agent it is assigned to now. Routing
 * knows both, so it issues the short-lived session tokens that chat checks; a participant renews
 * its token here while it still belongs to the session.
 */
public final class ChatAccess {

    private final SessionDesk sessions;
    private final SessionTokens tokens;

    public ChatAccess(SessionDesk sessions, SessionTokens tokens) {
        this.sessions = sessions;
        this.tokens = tokens;
    }

    public String customerToken(RouteResult routed, String customerId) {
        return tokens.issue(routed.sessionId(), customerId, ParticipantRole.CUSTOMER);
    }

    /**
     * A token for the caller, who must be the session's customer or the agent it is assigned to
     * now; a closed session gives none (its transcript is in ticketing).
     */
    public TokenIssued tokenFor(TokenRequest request, Caller caller) {
        caller.require("session-token", Group.CUSTOMER, Group.AGENT);
        if (request.participantId() != null && !request.participantId().equals(caller.subject())) {
            throw AuthProblem.forbidden("session-token: a participant gets only its own token; this token is "
                    + caller.subject() + ", not " + request.participantId());
        }
        SessionRecord session = sessions.read(request.sessionId());
        if (session == null) {
            throw Problem.notFound("session " + request.sessionId() + " does not exist");
        }
        String who = caller.subject();
        boolean customer = caller.in(Group.CUSTOMER) && who.equals(session.customerId());
        boolean agent =
                caller.in(Group.AGENT) && session.state() == SessionState.ASSIGNED && who.equals(session.agentId());
        if (!customer && !agent) {
            throw AuthProblem.forbidden("session-token: only the session's customer and the agent it is assigned to "
                    + "now get chat tokens; " + who + " is neither for session " + request.sessionId()
                    + (session.state() == SessionState.QUEUED ? " (no agent is assigned yet)" : ""));
        }
        if (session.state() == SessionState.CLOSED) {
            throw Problem.conflict("session " + request.sessionId() + " is closed: its chat takes no one any more; "
                    + "the transcript is kept by ticketing");
        }
        return new TokenIssued(
                tokens.issue(session.sessionId(), who, customer ? ParticipantRole.CUSTOMER : ParticipantRole.AGENT));
    }
}
