package io.meshdesk.etcd;

import java.nio.charset.StandardCharsets;
import java.util.List;

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
    /*
     * Chat keys. Every per-session chat key has a '/' right after the session id (routing's ids
     * cannot contain one), so the keys of one session are never a prefix match for another's:
     * s-1's keys never include s-10's. Use the methods below, never string concatenation.
     */
    /** {@code /meshdesk/chat/<sessionId>/<seq, 12 digits>}: a session's chat log, one packet per key. */
    public static final String CHAT = ROOT + "chat/";
    /**
     * {@code /meshdesk/chat-counter/<sessionId>/last}: {@code "<last seq> <bytes stored>"}, outside the
     * log's prefix so that watchers of the log do not see it.
     */
    public static final String CHAT_COUNTER = ROOT + "chat-counter/";
    /**
     * {@code /meshdesk/chat-seq/<sessionId>}: the counter before the terminator was added (no '/'
     * after the id, which made {@code chat-seq/s-1} a prefix of {@code chat-seq/s-10}). Chat moves
     * each to {@link #chatCounter} and leaves {@value #CHAT_SEQ_MOVED} behind, which an old
     * instance cannot parse, so it can never restart a migrated log at seq 1.
     */
    public static final String CHAT_SEQ_LEGACY = ROOT + "chat-seq/";
    /** The value a migrated legacy counter keeps. */
    public static final String CHAT_SEQ_MOVED = "moved-to-chat-counter";
    /** {@code /meshdesk/chat-ids/<sessionId>/<clientMsgId>}: the seq a client's message got, for retries. */
    public static final String CHAT_IDS = ROOT + "chat-ids/";
    /** {@code /meshdesk/chat-done/<sessionId>/<what>}: once-per-session chat facts (first response). */
    public static final String CHAT_DONE = ROOT + "chat-done/";
    /**
     * {@code /meshdesk/chat-handover/<sessionId>/transcript}: a closed session's transcript that
     * ticketing has not acknowledged yet, as JSON ({@code state} pending, attempts, next attempt,
     * last error). No lease; deleted once ticketing acknowledged it (the session's chat counter
     * then carries the retention lease).
     */
    public static final String CHAT_HANDOVER = ROOT + "chat-handover/";
    /** {@code /meshdesk/config/...}: dynamic configuration. */
    public static final String CONFIG = ROOT + "config/";

    private Keyspace() {}

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

    /** {@code /meshdesk/chat/<sessionId>/}: the session's log (watched) and its typing keys. */
    public static String chatLog(String sessionId) {
        return CHAT + sessionId + "/";
    }

    public static String chatCounter(String sessionId) {
        return CHAT_COUNTER + sessionId + "/last";
    }

    /** The pre-terminator counter key: read only to migrate it, never as a prefix. */
    public static String chatSeqLegacy(String sessionId) {
        return CHAT_SEQ_LEGACY + sessionId;
    }

    public static String chatIds(String sessionId) {
        return CHAT_IDS + sessionId + "/";
    }

    public static String chatDone(String sessionId) {
        return CHAT_DONE + sessionId + "/";
    }

    public static String chatHandover(String sessionId) {
        return CHAT_HANDOVER + sessionId + "/transcript";
    }

    /**
     * Every prefix holding the session's chat keys, each ending in '/' after the id: what the
     * retention lease is bound to. The legacy counter is an exact key (see {@link #chatSeqLegacy}).
     */
    public static List<String> chatPrefixes(String sessionId) {
        return List.of(
                chatLog(sessionId),
                CHAT_COUNTER + sessionId + "/",
                chatIds(sessionId),
                chatDone(sessionId),
                CHAT_HANDOVER + sessionId + "/");
    }

    /** The session id of a key under one of the chat families, e.g. {@code chat-counter/s-1/last}: s-1. */
    public static String chatSessionOf(String family, String key) {
        String rest = key.substring(family.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    public static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    public static String text(ByteSequence bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
