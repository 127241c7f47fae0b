package io.meshdesk.chat.conversation;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.etcd.jetcd.KeyValue;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;

/** Reads routing's session keys: chat needs to know a session exists, its channel, and whether it is closed. */
public final class SessionDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What chat needs to know of a routing session. */
    public record SessionInfo(String sessionId, String channel, String state) {
        public boolean closed() {
            return "closed".equals(state);
        }
    }

    private final BlockingEtcd etcd;

    public SessionDirectory(BlockingEtcd etcd) {
        this.etcd = etcd;
    }

    /** The session, or null when routing has no such session. */
    public SessionInfo find(String sessionId) {
        KeyValue kv = etcd.get(Keyspace.session(sessionId), "reading session " + sessionId);
        if (kv == null) {
            return null;
        }
        try {
            JsonNode s = JSON.readTree(kv.getValue().getBytes());
            return new SessionInfo(sessionId, s.path("channel").asText("web"), s.path("state").asText());
        } catch (IOException e) {
            throw new IllegalStateException("session " + sessionId + " in etcd is not readable JSON", e);
        }
    }
}
