package io.meshdesk.routing.state;

import io.meshdesk.etcd.Keyspace;
import io.meshdesk.session.contract.Priority;
import io.meshdesk.session.contract.SessionRecord;

/**
 * A queued session's key: {@code /meshdesk/queue/<region>/<band>/<enqueuedAt ms>/<sessionId>}.
 * Byte order is queue order within a band (premium band first, then oldest first), so the head
 * of a band is one range read with a limit.
 */
public final class QueueKeys {

    private QueueKeys() {}

    public static String of(SessionRecord session) {
        return band(session.region(), session.priority())
                + String.format("%015d", session.enqueuedAt().toEpochMilli()) + "/" + session.sessionId();
    }

    /** The prefix of one band's keys in a region's queue. */
    public static String band(String region, Priority priority) {
        return Keyspace.queue(region) + (priority == Priority.PREMIUM ? "0-premium" : "1-standard") + "/";
    }
}
