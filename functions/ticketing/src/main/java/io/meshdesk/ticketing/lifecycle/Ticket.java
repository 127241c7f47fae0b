package io.meshdesk.ticketing.lifecycle;

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
            boolean resolutionBreached) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Satisfaction(Integer score, String comment) {}

    /** One recorded change: who, when, which field, from what, to what. */
    public record Change(Instant at, String actor, String field, String from, String to) {}

    public record Comment(Instant at, String author, AuthorRole authorRole, String body, boolean internal) {}

    public Ticket withDetails(List<Change> changes, List<Comment> allComments) {
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
                changes,
                allComments);
    }
}
