package io.meshdesk.ticketing;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.identity.Caller;
import io.meshdesk.identity.Group;
import io.meshdesk.identity.Identity;
import io.meshdesk.problem.FunctionInput;
import io.meshdesk.problem.Problem;
import io.meshdesk.ticketing.access.TicketAccess;
import io.meshdesk.ticketing.lifecycle.TicketDesk;
import io.meshdesk.ticketing.storage.TicketQueries;
import io.meshdesk.ticketing.ticket.Requests;
import io.meshdesk.ticketing.ticket.Ticket;
import io.meshdesk.ticketing.transcript.SessionEventHandlers;
import io.meshdesk.ticketing.transcript.SessionRating;
import io.meshdesk.ticketing.transcript.TranscriptArchive;
import io.quarkus.funqy.Context;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;

/**
 * The ticketing functions, and the handlers of other functions' events. Who may call each is
 * {@link TicketAccess}'s rule; the acting identity is always the verified caller.
 */
public class TicketFunctions {

    private final TicketDesk desk;
    private final SessionEventHandlers handlers;
    private final Identity identity;
    private final TicketAccess access;
    private final TranscriptArchive transcripts;

    TicketFunctions(TicketDesk desk, SessionEventHandlers handlers, Identity identity, TranscriptArchive transcripts) {
        this.desk = desk;
        this.handlers = handlers;
        this.identity = identity;
        this.access = new TicketAccess(desk);
        this.transcripts = transcripts;
    }

    @Funq("ticket-create")
    public Ticket create(JsonNode input) {
        Caller caller = identity.caller();
        Requests.Create request = FunctionInput.read(input, Requests.Create.class);
        return desk.create(request, caller.subject(), access.create(caller, request));
    }

    /** The ticket, and for one a chat session became, the transcript chat archived ({@code transcript}). */
    @Funq("ticket-get")
    public TicketWithTranscript get(JsonNode input) {
        Requests.Ref ref = FunctionInput.read(input, Requests.Ref.class);
        Caller caller = identity.caller();
        access.read(caller, "ticket-get", ref.ticketId());
        Ticket ticket = desk.get(ref.ticketId());
        // Internal notes are for the desk: a customer reading its ticket does not see them.
        Ticket shown = caller.inAny(Group.AGENT, Group.SUPERVISOR, Group.OPS, Group.SERVICE)
                ? ticket
                : ticket.withDetails(
                        ticket.history(),
                        ticket.comments().stream().filter(c -> !c.internal()).toList());
        return new TicketWithTranscript(shown, transcripts.find(ticket.sessionId()));
    }

    /** What {@code ticket-get} answers: the ticket's fields, plus {@code transcript} once archived. */
    public record TicketWithTranscript(
            @JsonUnwrapped Ticket ticket,
            @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode transcript) {}

    /** The session's customer rates its chat after it ended, resolved or not (once per session). */
    @Funq("session-rate")
    public TranscriptArchive.Rated rateSession(JsonNode input) {
        Caller caller = identity.caller().require("session-rate", Group.CUSTOMER);
        return transcripts.rate(FunctionInput.read(input, SessionRating.class), caller.subject());
    }

    @Funq("ticket-update")
    public Ticket update(JsonNode input) {
        Caller caller = identity.caller();
        Requests.Update request = FunctionInput.read(input, Requests.Update.class);
        access.change(caller, request.ticketId(), request.actor());
        return desk.update(Requests.byCaller(request, caller.subject()));
    }

    @Funq("ticket-comment")
    public Ticket comment(JsonNode input) {
        Requests.Comment request = FunctionInput.read(input, Requests.Comment.class);
        access.comment(identity.caller(), request);
        return desk.comment(request);
    }

    @Funq("ticket-search")
    public TicketQueries.Page search(JsonNode input) {
        TicketAccess.Scoped scoped = access.search(identity.caller(), FunctionInput.read(input, Requests.Search.class));
        return desk.search(scoped.search(), scoped.tenant());
    }

    @Funq("ticket-rate")
    public Ticket rate(JsonNode input) {
        Requests.Rate request = FunctionInput.read(input, Requests.Rate.class);
        access.rate(identity.caller(), request.ticketId());
        return desk.rate(request);
    }

    /** Takes no input; a body of {} is accepted because callers and CloudEvents send one. Counts only. */
    @Funq("backlog")
    public Backlog backlog(JsonNode ignored) {
        identity.caller().require("backlog", Group.AGENT, Group.SUPERVISOR, Group.OPS, Group.SERVICE);
        List<TicketQueries.BacklogRow> rows = desk.backlog();
        return new Backlog(
                rows,
                rows.stream().mapToLong(TicketQueries.BacklogRow::open).sum(),
                rows.stream().mapToLong(TicketQueries.BacklogRow::breaching).sum());
    }

    /** What {@code backlog} answers. */
    public record Backlog(List<TicketQueries.BacklogRow> rows, long open, long breaching) {}

    /** CloudEvent {@code meshdesk.session.closed} from routing; only another function may send it. */
    @Funq("session-closed")
    public Ticket sessionClosed(JsonNode session, @Context CloudEvent<?> event) {
        identity.caller().require("the meshdesk.session.closed event", Group.SERVICE);
        return handlers.sessionClosed(eventId(event), session);
    }

    /** CloudEvent {@code meshdesk.transcript.ready} from chat; only another function may send it. */
    @Funq("transcript-ready")
    public void transcriptReady(JsonNode transcript, @Context CloudEvent<?> event) {
        identity.caller().require("the meshdesk.transcript.ready event", Group.SERVICE);
        handlers.transcriptReady(eventId(event), transcript);
    }

    private static String eventId(CloudEvent<?> event) {
        if (event == null || event.id() == null || event.id().isBlank()) {
            throw Problem.badRequest("this function handles CloudEvents: send it as one (the event id makes a "
                    + "redelivery harmless)");
        }
        return event.id();
    }
}
