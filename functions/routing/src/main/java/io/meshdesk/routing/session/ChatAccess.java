package io.meshdesk.routing.session;

import io.meshdesk.problem.Problem;
import io.meshdesk.token.ParticipantRole;
import io.meshdesk.token.SessionClaims;
import io.meshdesk.token.SessionTokens;

/**
 * Who may join a session's chat: its customer, and the agent it is assigned to now. Routing
 * knows both, so it issues the tokens that chat checks.
 */
public final class ChatAccess {

    private final SessionDesk sessions;
    private final SessionTokens tokens;

    public ChatAccess(SessionDesk sessions, SessionTokens tokens) {
        this.sessions = sessions;
        this.tokens = tokens;
    }

    /** Checks a session token routing issued (a customer following its session live shows one). */
    public SessionClaims verify(String token) throws SessionTokens.InvalidToken {
        return tokens.verify(token);
    }

    public String customerToken(RouteResult routed, String customerId) {
        return tokens.issue(routed.sessionId(), customerId, ParticipantRole.CUSTOMER);
    }

    /**
     * A token for the caller, who must be the participant named (the mesh sets the caller's
     * identity from the verified JWT; locally the {@code x-participant-id} header stands for it).
     */
    public TokenIssued tokenFor(TokenRequest request, String caller) {
        if (caller == null || !caller.equals(request.participantId())) {
            throw Problem.forbidden("the caller (" + (caller == null ? "no x-participant-id" : caller)
                    + ") is not participant " + request.participantId() + "; a participant can only get its own token");
        }
        Session session = sessions.read(request.sessionId());
        if (session == null) {
            throw Problem.notFound("session " + request.sessionId() + " does not exist");
        }
        if (request.participantId().equals(session.customerId())) {
            return new TokenIssued(tokens.issue(session.sessionId(), request.participantId(), ParticipantRole.CUSTOMER));
        }
        if (session.state() == SessionState.ASSIGNED && request.participantId().equals(session.agentId())) {
            return new TokenIssued(tokens.issue(session.sessionId(), request.participantId(), ParticipantRole.AGENT));
        }
        throw Problem.forbidden("participant " + request.participantId() + " is neither the customer nor the agent "
                + "assigned to session " + request.sessionId()
                + (session.agentId() == null ? " (no agent is assigned yet)" : ""));
    }
}
