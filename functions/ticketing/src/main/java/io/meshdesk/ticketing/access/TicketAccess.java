package io.meshdesk.ticketing.access;

import java.util.UUID;

import io.meshdesk.identity.AuthProblem;
import io.meshdesk.identity.Caller;
import io.meshdesk.identity.Group;
import io.meshdesk.ticketing.lifecycle.TicketDesk;
import io.meshdesk.ticketing.storage.TicketStore;
import io.meshdesk.ticketing.ticket.AuthorRole;
import io.meshdesk.ticketing.ticket.Requests;

/**
 * Who may do what with tickets. A customer sees, comments on and rates only its own tickets;
 * agents and supervisors work on their tenant's; ops reads every tenant's; other functions
 * (service) open tickets and read them. Whoever acts is the token's subject, and that is what the
 * history records: a body cannot name someone else.
 */
public final class TicketAccess {

    private final TicketDesk desk;

    public TicketAccess(TicketDesk desk) {
        this.desk = desk;
    }

    /** The tenant a new ticket belongs to; a customer opens tickets only for itself. */
    public String create(Caller caller, Requests.Create r) {
        caller.require("ticket-create", Group.CUSTOMER, Group.AGENT, Group.SUPERVISOR, Group.SERVICE);
        if (caller.in(Group.CUSTOMER)
                && !caller.inAny(Group.AGENT, Group.SUPERVISOR, Group.SERVICE)
                && !caller.subject().equals(r.customerId())) {
            throw AuthProblem.forbidden(
                    "ticket-create: a customer opens tickets only for itself; this token is customer "
                            + caller.subject() + ", the body names customerId " + r.customerId());
        }
        return caller.in(Group.SERVICE) ? TicketStore.DEFAULT_TENANT : caller.tenant();
    }

    /** Reading: the ticket's customer, its tenant's agents and supervisors, ops and other functions. */
    public void read(Caller caller, String function, UUID ticket) {
        if (caller.inAny(Group.OPS, Group.SERVICE)) {
            return;
        }
        work(caller, function, ticket, true);
    }

    /** Changing status, assignee, priority or queue: the tenant's agents and supervisors, and other functions. */
    public void change(Caller caller, UUID ticket, String actor) {
        caller.require("ticket-update", Group.AGENT, Group.SUPERVISOR, Group.SERVICE);
        sameActor(caller, "ticket-update", "actor", actor);
        if (!caller.in(Group.SERVICE)) {
            work(caller, "ticket-update", ticket, false);
        }
    }

    /** A comment is by the caller, in the role its token gives it. */
    public void comment(Caller caller, Requests.Comment r) {
        caller.require("ticket-comment", Group.CUSTOMER, Group.AGENT, Group.SUPERVISOR);
        sameActor(caller, "ticket-comment", "author", r.author());
        AuthorRole role = caller.inAny(Group.AGENT, Group.SUPERVISOR) ? AuthorRole.AGENT : AuthorRole.CUSTOMER;
        if (r.authorRole() != role) {
            throw AuthProblem.forbidden("ticket-comment: " + caller.subject() + " writes as " + role
                    + " (from its token's groups), not as " + r.authorRole());
        }
        work(caller, "ticket-comment", r.ticketId(), true);
    }

    /** Only the ticket's customer rates it. */
    public void rate(Caller caller, UUID ticket) {
        caller.require("ticket-rate", Group.CUSTOMER);
        String owner = desk.owner(ticket).customerId();
        if (!owner.equals(caller.subject())) {
            throw AuthProblem.forbidden("ticket-rate: only the ticket's customer rates it; ticket " + ticket
                    + " is not " + caller.subject() + "'s");
        }
    }

    /**
     * The search the caller may run: a customer's is narrowed to its own tickets, an agent's or
     * supervisor's to its tenant's (the answer's tenant; null for ops: every tenant's).
     */
    public Scoped search(Caller caller, Requests.Search s) {
        caller.require("ticket-search", Group.CUSTOMER, Group.AGENT, Group.SUPERVISOR, Group.OPS);
        if (caller.inAny(Group.OPS)) {
            return new Scoped(s, null);
        }
        if (caller.inAny(Group.AGENT, Group.SUPERVISOR)) {
            return new Scoped(s, caller.tenant());
        }
        if (s.customerId() != null && !s.customerId().equals(caller.subject())) {
            throw AuthProblem.forbidden(
                    "ticket-search: a customer searches only its own tickets; this token is customer "
                            + caller.subject() + ", the body names customerId " + s.customerId());
        }
        return new Scoped(
                new Requests.Search(
                        caller.subject(), s.status(), s.queue(), s.priority(), s.slaBreached(), s.page(), s.size()),
                null);
    }

    /** A search and the tenant it is limited to. */
    public record Scoped(Requests.Search search, String tenant) {}

    private void work(Caller caller, String function, UUID ticket, boolean customerMay) {
        TicketStore.Owner owner = desk.owner(ticket);
        if (customerMay && caller.in(Group.CUSTOMER) && owner.customerId().equals(caller.subject())) {
            return;
        }
        if (caller.inAny(Group.AGENT, Group.SUPERVISOR) && owner.tenant().equals(caller.tenant())) {
            return;
        }
        throw AuthProblem.forbidden(function + ": " + (customerMay ? "the ticket's customer and " : "")
                + "the agents and supervisors of its tenant may do this; ticket " + ticket + " is not "
                + caller.subject() + "'s"
                + (caller.inAny(Group.AGENT, Group.SUPERVISOR) ? " and not in tenant " + caller.tenant() : ""));
    }

    private static void sameActor(Caller caller, String function, String field, String named) {
        if (named != null && !named.equals(caller.subject())) {
            throw AuthProblem.forbidden(function + ": the " + field + " is whoever the token names (" + caller.subject()
                    + "); the body cannot name " + named);
        }
    }
}
