package io.meshdesk.etcd;

import java.nio.charset.StandardCharsets;

import io.etcd.jetcd.ByteSequence;

/**
 * Every key meshdesk keeps in etcd, in one place. Other tools read these, so they are a
 * contract: everything lives under {@value #ROOT}.
 */
public final class Keyspace {

    public static final String ROOT = "/meshdesk/";
    /** {@code /meshdesk/agents/<agentId>}: the agent as JSON, bound to its presence lease. */
    public static final String AGENTS = ROOT + "agents/";
    /** {@code /meshdesk/sessions/<sessionId>}: the session as JSON. */
    public static final String SESSIONS = ROOT + "sessions/";
    /** {@code /meshdesk/load/<agentId>}: capacity in use and the sessions using it; no lease. */
    public static final String LOAD = ROOT + "load/";
    /** {@code /meshdesk/queue/<region>/<band>/<enqueuedAt>/<sessionId>}: a queued session. */
    public static final String QUEUE = ROOT + "queue/";
    /** {@code /meshdesk/chat/<sessionId>/<seq>}: a session's chat log, one packet per key. */
    public static final String CHAT = ROOT + "chat/";
    /** {@code /meshdesk/chat-seq/<sessionId>}: the last seq of the session's log (outside the log's prefix). */
    public static final String CHAT_SEQ = ROOT + "chat-seq/";
    /** {@code /meshdesk/chat-ids/<sessionId>/<clientMsgId>}: the seq a client's message got, for retries. */
    public static final String CHAT_IDS = ROOT + "chat-ids/";
    /** {@code /meshdesk/chat-done/<sessionId>/<what>}: once-per-session chat facts (transcript sent, first response). */
    public static final String CHAT_DONE = ROOT + "chat-done/";
    /** {@code /meshdesk/config/...}: dynamic configuration. */
    public static final String CONFIG = ROOT + "config/";

    private Keyspace() {
    }

    public static String agent(String agentId) {
        return AGENTS + agentId;
    }

    public static String session(String sessionId) {
        return SESSIONS + sessionId;
    }

    public static String load(String agentId) {
        return LOAD + agentId;
    }

    public static String queue(String region) {
        return QUEUE + region + "/";
    }

    public static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    public static String text(ByteSequence bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
