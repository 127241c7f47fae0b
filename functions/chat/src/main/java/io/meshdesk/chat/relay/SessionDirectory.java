package io.meshdesk.chat.relay;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.etcd.jetcd.KeyValue;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.token.ParticipantRole;
import io.meshdesk.token.SessionClaims;

/**
 * Reads routing's session keys: chat needs to know a session exists, who its customer and
 * current agent are, its channel, and whether it is closed.
 */
public final class SessionDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What chat needs to know of a routing session. */
    public record SessionInfo(
            String sessionId, String channel, String state, String customerId, String agentId, String outcome) {

        public static SessionInfo parse(String sessionId, byte[] json) {
            try {
                JsonNode s = JSON.readTree(json);
                return new SessionInfo(
                        sessionId,
                        s.path("channel").asText("web"),
                        s.path("state").asText(),
                        s.path("customerId").asText(null),
                        s.path("agentId").asText(null),
                        s.path("outcome").asText(null));
            } catch (IOException e) {
                throw new IllegalStateException("session " + sessionId + " in etcd is not readable JSON", e);
            }
        }

        public boolean closed() {
            return "closed".equals(state);
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
            if (!"assigned".equals(state)) {
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
