package io.meshdesk.chat.relay;

import io.etcd.jetcd.KeyValue;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.session.contract.Channel;
import io.meshdesk.session.contract.ContractJson;
import io.meshdesk.session.contract.ContractViolation;
import io.meshdesk.session.contract.Outcome;
import io.meshdesk.session.contract.SessionRecord;
import io.meshdesk.session.contract.SessionState;
import io.meshdesk.token.ParticipantRole;
import io.meshdesk.token.SessionClaims;

/**
 * Reads routing's session keys through the session contract: chat needs to know a session
 * exists, who its customer and current agent are, its channel, and whether it is closed.
 */
public final class SessionDirectory {

    /** What chat needs to know of a routing session. */
    public record SessionInfo(
            String sessionId, Channel channel, SessionState state, String customerId, String agentId, Outcome outcome) {

        public static SessionInfo of(SessionRecord s) {
            return new SessionInfo(s.sessionId(), s.channel(), s.state(), s.customerId(), s.agentId(), s.outcome());
        }

        /** The session stored at {@code /meshdesk/sessions/<sessionId>}, as routing wrote it. */
        public static SessionInfo parse(String sessionId, byte[] json) {
            try {
                return of(ContractJson.readSession(json));
            } catch (ContractViolation e) {
                throw new IllegalStateException(
                        "session " + sessionId + " in etcd does not follow the session contract (" + e.getMessage()
                                + "); is a routing of another version writing it?",
                        e);
            }
        }

        /** A session no longer in etcd (its retention ran out): closed, how is not known. */
        public static SessionInfo gone(String sessionId) {
            return new SessionInfo(sessionId, Channel.WHEN_MISSING, SessionState.CLOSED, null, null, null);
        }

        public boolean closed() {
            return state == SessionState.CLOSED;
        }

        /**
         * Why the participant the claims name may not use this session now, or null when they may:
         * the customer is the session's customer; an agent is the one it is assigned to.
         */
        public String refusalFor(SessionClaims claims) {
            if (closed()) {
                return "session " + sessionId + " is closed" + (outcome == null ? "" : " (" + outcome + ")")
                        + "; its conversation is no longer served live: read its transcript through ticketing";
            }
            if (claims.role() == ParticipantRole.CUSTOMER) {
                return customerId == null || customerId.equals(claims.participantId())
                        ? null
                        : "customer " + claims.participantId() + " is not the customer of session " + sessionId;
            }
            if (state != SessionState.ASSIGNED) {
                return "session " + sessionId + " is " + state + ", not assigned to agent " + claims.participantId()
                        + "; ask routing for its current state";
            }
            return claims.participantId().equals(agentId)
                    ? null
                    : "session " + sessionId + " is assigned to another agent, not to " + claims.participantId();
        }
    }

    private final BlockingEtcd etcd;

    public SessionDirectory(BlockingEtcd etcd) {
        this.etcd = etcd;
    }

    /** The session, or null when routing has no such session. Blocks on etcd. */
    public SessionInfo find(String sessionId) {
        KeyValue kv = etcd.get(Keyspace.session(sessionId), "reading session " + sessionId);
        return kv == null ? null : SessionInfo.parse(sessionId, kv.getValue().getBytes());
    }
}
