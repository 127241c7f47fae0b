package io.meshdesk.events;

import java.time.Instant;

/**
 * One CloudEvent to send. The id must be stable for the fact it reports (for example the
 * session and the etcd revision of the decision), so a redelivery is recognisable downstream.
 */
public record Event(String id, EventType type, String source, String subject, Instant time, Object data) {}
