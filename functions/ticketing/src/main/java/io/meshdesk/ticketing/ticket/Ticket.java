package io.meshdesk.ticketing.ticket;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A ticket as the functions answer it; history and comments only where asked for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Ticket(
        UUID ticketId,
        String customerId,
        String subject,
        String description,
        String queue,
        TicketPriority priority,
        String channel,
        String sessionId,
        TicketStatus status,
        String assignee,
        int version,
        Instant createdAt,
        Instant updatedAt,
        Sla sla,
        Satisfaction satisfaction,
        List<Change> history,
        List<Comment> comments) {

    /** Due times and what happened to them. */
    public record Sla(
            Instant firstResponseDue,
            Instant resolutionDue,
            Instant firstResponseAt,
            Instant resolvedAt,
            boolean firstResponseBreached,
            boolean resolutionBreached) {

        /** Due times from now on, nothing happened yet. */
        public static Sla due(Instant firstResponseDue, Instant resolutionDue) {
            return new Sla(firstResponseDue, resolutionDue, null, null, false, false);
        }

        public Sla withFirstResponseAt(Instant at) {
            return new Sla(firstResponseDue, resolutionDue, at, resolvedAt, firstResponseBreached, resolutionBreached);
        }

        public Sla withResolvedAt(Instant at) {
            return new Sla(
                    firstResponseDue, resolutionDue, firstResponseAt, at, firstResponseBreached, resolutionBreached);
        }

        /** Marked as breached: the first response ({@code firstResponse} true) or the resolution. */
        public Sla breached(boolean firstResponse) {
            return new Sla(
                    firstResponseDue,
                    resolutionDue,
                    firstResponseAt,
                    resolvedAt,
                    firstResponseBreached || firstResponse,
                    resolutionBreached || !firstResponse);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Satisfaction(Integer score, String comment) {}

    /** One recorded change: who, when, which field, from what, to what. */
    public record Change(Instant at, String actor, String field, String from, String to) {}

    public record Comment(Instant at, String author, AuthorRole authorRole, String body, boolean internal) {}

    /** The same ticket with the history and comments a reader asked for. */
    public Ticket withDetails(List<Change> changes, List<Comment> allComments) {
        return toBuilder().history(changes).comments(allComments).build();
    }

    /**
     * The next version of this ticket, changed at {@code now}: version one higher, updatedAt now,
     * and without the history and comments (a change answers the ticket, not its details). Set
     * what changed on the builder: {@code t.revisedAt(now).status(OPEN).build()}.
     */
    public Builder revisedAt(Instant now) {
        return toBuilder().version(version + 1).updatedAt(now).history(null).comments(null);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * A copy of a ticket to change a few fields of: the one place that lists all seventeen, so a
     * new field is added here and in the record, not at every change.
     */
    public static final class Builder {
        private final UUID ticketId;
        private final String customerId;
        private final String subject;
        private final String description;
        private String queue;
        private TicketPriority priority;
        private final String channel;
        private final String sessionId;
        private TicketStatus status;
        private String assignee;
        private int version;
        private final Instant createdAt;
        private Instant updatedAt;
        private Sla sla;
        private Satisfaction satisfaction;
        private List<Change> history;
        private List<Comment> comments;

        private Builder(Ticket t) {
            ticketId = t.ticketId;
            customerId = t.customerId;
            subject = t.subject;
            description = t.description;
            queue = t.queue;
            priority = t.priority;
            channel = t.channel;
            sessionId = t.sessionId;
            status = t.status;
            assignee = t.assignee;
            version = t.version;
            createdAt = t.createdAt;
            updatedAt = t.updatedAt;
            sla = t.sla;
            satisfaction = t.satisfaction;
            history = t.history;
            comments = t.comments;
        }

        public Builder queue(String value) {
            queue = value;
            return this;
        }

        public Builder priority(TicketPriority value) {
            priority = value;
            return this;
        }

        public Builder status(TicketStatus value) {
            status = value;
            return this;
        }

        public Builder assignee(String value) {
            assignee = value;
            return this;
        }

        Builder version(int value) {
            version = value;
            return this;
        }

        Builder updatedAt(Instant value) {
            updatedAt = value;
            return this;
        }

        public Builder sla(Sla value) {
            sla = value;
            return this;
        }

        public Builder satisfaction(Satisfaction value) {
            satisfaction = value;
            return this;
        }

        Builder history(List<Change> value) {
            history = value;
            return this;
        }

        Builder comments(List<Comment> value) {
            comments = value;
            return this;
        }

        public Ticket build() {
            return new Ticket(
                    ticketId,
                    customerId,
                    subject,
                    description,
                    queue,
                    priority,
                    channel,
                    sessionId,
                    status,
                    assignee,
                    version,
                    createdAt,
                    updatedAt,
                    sla,
                    satisfaction,
                    history,
                    comments);
        }
    }
}
