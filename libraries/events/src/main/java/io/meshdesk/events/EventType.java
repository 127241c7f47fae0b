package io.meshdesk.events;

/** The CloudEvent types meshdesk sends, named {@code meshdesk.<noun>.<verb-past>}. */
public enum EventType {
    SESSION_QUEUED("meshdesk.session.queued"),
    SESSION_ASSIGNED("meshdesk.session.assigned"),
    SESSION_REQUEUED("meshdesk.session.requeued"),
    SESSION_CLOSED("meshdesk.session.closed"),
    TRANSCRIPT_READY("meshdesk.transcript.ready"),
    TICKET_CREATED("meshdesk.ticket.created"),
    TICKET_UPDATED("meshdesk.ticket.updated"),
    TICKET_RESOLVED("meshdesk.ticket.resolved"),
    TICKET_SLA_BREACHED("meshdesk.ticket.sla-breached");

    private final String ceType;

    EventType(String ceType) {
        this.ceType = ceType;
    }

    /** The value of the CloudEvent {@code type} attribute. */
    public String ceType() {
        return ceType;
    }
}
