package io.meshdesk.ticketing;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.problem.FunctionInput;
import io.meshdesk.problem.Problem;
import io.meshdesk.ticketing.lifecycle.Requests;
import io.meshdesk.ticketing.lifecycle.Ticket;
import io.meshdesk.ticketing.lifecycle.TicketDesk;
import io.meshdesk.ticketing.storage.TicketQueries;
import io.meshdesk.ticketing.transcript.SessionEventHandlers;
import io.meshdesk.ticketing.transcript.SessionRating;
import io.meshdesk.ticketing.transcript.TranscriptArchive;
import io.quarkus.funqy.Context;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/** The ticketing functions, and the handlers of other functions' events. */
public class TicketFunctions {

    private final TicketDesk desk;
    private final SessionEventHandlers handlers;
    private final CurrentVertxRequest request;
    private final TranscriptArchive transcripts;

    TicketFunctions(TicketDesk desk, SessionEventHandlers handlers, CurrentVertxRequest request,
            TranscriptArchive transcripts) {
        this.desk = desk;
        this.handlers = handlers;
        this.request = request;
        this.transcripts = transcripts;
    }

    @Funq("ticket-create")
    public Ticket create(JsonNode input) {
        return desk.create(FunctionInput.read(input, Requests.Create.class), caller());
    }

    /** The ticket, and for one a chat session became, the transcript chat archived ({@code transcript}). */
    @Funq("ticket-get")
    public TicketWithTranscript get(JsonNode input) {
        Ticket ticket = desk.get(FunctionInput.read(input, Requests.Ref.class).ticketId());
        return new TicketWithTranscript(ticket, transcripts.find(ticket.sessionId()));
    }

    /** What {@code ticket-get} answers: the ticket's fields, plus {@code transcript} once archived. */
    public record TicketWithTranscript(@JsonUnwrapped Ticket ticket,
            @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode transcript) {
    }

    /** A customer rates a chat after it ended, resolved or not (once per session). */
    @Funq("session-rate")
    public TranscriptArchive.Rated rateSession(JsonNode input) {
        return transcripts.rate(FunctionInput.read(input, SessionRating.class));
    }

    @Funq("ticket-update")
    public Ticket update(JsonNode input) {
        return desk.update(Requests.byCaller(FunctionInput.read(input, Requests.Update.class), caller()));
    }

    @Funq("ticket-comment")
    public Ticket comment(JsonNode input) {
        return desk.comment(FunctionInput.read(input, Requests.Comment.class));
    }

    @Funq("ticket-search")
    public TicketQueries.Page search(JsonNode input) {
        return desk.search(FunctionInput.read(input, Requests.Search.class));
    }

    @Funq("ticket-rate")
    public Ticket rate(JsonNode input) {
        return desk.rate(FunctionInput.read(input, Requests.Rate.class));
    }

    /** Takes no input; a body of {} is accepted because callers and CloudEvents send one. */
    @Funq("backlog")
    public Backlog backlog(JsonNode ignored) {
        List<TicketQueries.BacklogRow> rows = desk.backlog();
        return new Backlog(rows, rows.stream().mapToLong(TicketQueries.BacklogRow::open).sum(),
                rows.stream().mapToLong(TicketQueries.BacklogRow::breaching).sum());
    }

    /** What {@code backlog} answers. */
    public record Backlog(List<TicketQueries.BacklogRow> rows, long open, long breaching) {
    }

    /** CloudEvent {@code meshdesk.session.closed} from routing. */
    @Funq("session-closed")
    public Ticket sessionClosed(JsonNode session, @Context CloudEvent<?> event) {
        return handlers.sessionClosed(eventId(event), session);
    }

    /** CloudEvent {@code meshdesk.transcript.ready} from chat. */
    @Funq("transcript-ready")
    public void transcriptReady(JsonNode transcript, @Context CloudEvent<?> event) {
        handlers.transcriptReady(eventId(event), transcript);
    }

    private static String eventId(CloudEvent<?> event) {
        if (event == null || event.id() == null || event.id().isBlank()) {
            throw Problem.badRequest("this function handles CloudEvents: send it as one (the event id makes a "
                    + "redelivery harmless)");
        }
        return event.id();
    }

    private String caller() {
        String who = request.getCurrent() == null ? null : request.getCurrent().request().getHeader("x-participant-id");
        return who == null || who.isBlank() ? "api" : who;
    }
}
