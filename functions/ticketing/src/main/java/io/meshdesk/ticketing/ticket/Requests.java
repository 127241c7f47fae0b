package io.meshdesk.ticketing.ticket;

import java.util.UUID;

import io.meshdesk.problem.Problem;

/** The inputs of the ticket functions, each checked as it is built so that a bad one writes nothing. */
public final class Requests {

    private Requests() {}

    public record Create(
            String customerId,
            String subject,
            String description,
            String queue,
            TicketPriority priority,
            String channel,
            String sessionId,
            String idempotencyKey) {
        public Create {
            customerId = required("customerId", customerId, 128);
            subject = required("subject", subject, 300);
            description = required("description", description, 20_000);
            queue = required("queue", queue, 64);
            if (priority == null) {
                throw Problem.invalid("priority", "field 'priority' is required: low, normal, high or urgent");
            }
            channel = required("channel", channel, 32);
            sessionId = optional("sessionId", sessionId, 128);
            idempotencyKey = optional("idempotencyKey", idempotencyKey, 200);
        }
    }

    /** The same update, made by the caller when it named no actor. */
    public static Update byCaller(Update u, String caller) {
        return u.actor() != null
                ? u
                : new Update(u.ticketId(), u.version(), u.status(), u.assignee(), u.priority(), u.queue(), caller);
    }

    public record Ref(UUID ticketId) {
        public Ref {
            if (ticketId == null) {
                throw Problem.invalid("ticketId", "field 'ticketId' is required");
            }
        }
    }

    public record Update(
            UUID ticketId,
            Integer version,
            TicketStatus status,
            String assignee,
            TicketPriority priority,
            String queue,
            String actor) {
        public Update {
            if (ticketId == null) {
                throw Problem.invalid("ticketId", "field 'ticketId' is required");
            }
            if (version == null) {
                throw Problem.invalid(
                        "version",
                        "field 'version' is required: the version you last read, so that "
                                + "a concurrent change is not overwritten");
            }
            if (status == null && assignee == null && priority == null && queue == null) {
                throw Problem.badRequest("nothing to change: give at least one of status, assignee, priority, queue");
            }
            assignee = optional("assignee", assignee, 128);
            queue = queue == null ? null : required("queue", queue, 64);
            actor = optional("actor", actor, 128);
        }
    }

    public record Comment(UUID ticketId, String author, AuthorRole authorRole, String body, Boolean internal) {
        public Comment {
            if (ticketId == null) {
                throw Problem.invalid("ticketId", "field 'ticketId' is required");
            }
            author = required("author", author, 128);
            if (authorRole == null) {
                throw Problem.invalid("authorRole", "field 'authorRole' is required: customer or agent");
            }
            body = required("body", body, 20_000);
            internal = internal != null && internal;
            if (internal && authorRole == AuthorRole.CUSTOMER) {
                throw Problem.invalid("internal", "a customer cannot write an internal note");
            }
        }
    }

    public record Search(
            String customerId,
            TicketStatus status,
            String queue,
            TicketPriority priority,
            Boolean slaBreached,
            Integer page,
            Integer size) {
        public Search {
            customerId = optional("customerId", customerId, 128);
            queue = optional("queue", queue, 64);
            page = page == null ? 0 : page;
            size = size == null ? 20 : size;
            if (page < 0 || page > 10_000) {
                throw Problem.invalid(
                        "page",
                        "field 'page' is " + page + "; pages start at 0 and end at 10000 "
                                + "(narrow the search instead)");
            }
            if (size < 1 || size > 200) {
                throw Problem.invalid("size", "field 'size' is " + size + "; it must be between 1 and 200");
            }
        }
    }

    public record Rate(UUID ticketId, Integer score, String comment) {
        public Rate {
            if (ticketId == null) {
                throw Problem.invalid("ticketId", "field 'ticketId' is required");
            }
            if (score == null || score < 1 || score > 5) {
                throw Problem.invalid("score", "field 'score' is " + score + "; it must be between 1 and 5");
            }
            comment = optional("comment", comment, 2000);
        }
    }

    static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw Problem.invalid(field, "field '" + field + "' is required");
        }
        return optional(field, value, max);
    }

    static String optional(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw Problem.invalid(field, "field '" + field + "' is " + value.length() + " characters; at most " + max);
        }
        return value.trim();
    }
}
