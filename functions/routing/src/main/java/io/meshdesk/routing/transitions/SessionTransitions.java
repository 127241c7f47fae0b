package io.meshdesk.routing.transitions;

import java.time.Instant;

import org.jboss.logging.Logger;

import io.meshdesk.events.Event;
import io.meshdesk.events.EventSink;
import io.meshdesk.events.EventType;
import io.meshdesk.routing.metrics.RoutingMetrics;
import io.meshdesk.session.contract.ContractJson;
import io.meshdesk.session.contract.SessionRecord;
import io.meshdesk.telemetry.LogFields;

/**
 * Tells the world a session changed state, after the transaction that changed it committed:
 * a CloudEvent to the sink, a log line, the metrics. Nothing here can undo the decision.
 */
public final class SessionTransitions {

    private static final Logger LOG = Logger.getLogger(SessionTransitions.class);

    private final EventSink sink;
    private final RoutingMetrics metrics;
    private final String source;

    public SessionTransitions(EventSink sink, RoutingMetrics metrics, String region) {
        this.sink = sink;
        this.metrics = metrics;
        this.source = "/meshdesk/" + region + "/routing";
    }

    public void queued(SessionRecord s, long revision) {
        publish(EventType.SESSION_QUEUED, s, revision);
    }

    /** Assigned while its session-route call was answered: that call logs the decision. */
    public void assigned(SessionRecord s, long revision) {
        LOG.debugf(
                "session %s assigned to agent %s after waiting %d ms (revision %d)",
                s.sessionId(), s.agentId(), waitedMillis(s), revision);
        recordAssignment(s, revision);
    }

    /** Assigned from the queue (a backfill): the one line for this routing decision. */
    public void assignedFromQueue(SessionRecord s, long revision) {
        try (LogFields session = LogFields.session(s.sessionId());
                LogFields agent = LogFields.agent(s.agentId())) {
            LOG.infof(
                    "routing decision: session %s assigned to agent %s from the queue (waited %d ms, revision %d)",
                    s.sessionId(), s.agentId(), waitedMillis(s), revision);
        }
        recordAssignment(s, revision);
    }

    private void recordAssignment(SessionRecord s, long revision) {
        metrics.queueWait(s, s.assignedAt());
        publish(EventType.SESSION_ASSIGNED, s, revision);
    }

    private static long waitedMillis(SessionRecord s) {
        return s.assignedAt().toEpochMilli() - s.enqueuedAt().toEpochMilli();
    }

    public void requeued(SessionRecord s, String formerAgent, long revision) {
        LOG.infof("session %s re-queued: agent %s left (revision %d)", s.sessionId(), formerAgent, revision);
        publish(EventType.SESSION_REQUEUED, s, revision);
    }

    public void closed(SessionRecord s, long revision) {
        metrics.sessionClosed(s.channel(), s.outcome());
        publish(EventType.SESSION_CLOSED, s, revision);
    }

    /**
     * The event id names the session and the etcd revision of the decision: stable across
     * redelivery. The data is the contract's JSON tree, so the sink's own mapper cannot write the
     * session differently from what chat and ticketing read.
     */
    private void publish(EventType type, SessionRecord s, long revision) {
        sink.publish(new Event(
                s.sessionId() + "@" + revision, type, source, s.sessionId(), Instant.now(), ContractJson.tree(s)));
    }
}
