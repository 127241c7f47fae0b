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
