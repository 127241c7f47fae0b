package io.meshdesk.ticketing.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.meshdesk.ticketing.ticket.Requests;
import io.meshdesk.ticketing.ticket.Ticket;

/** The read side over many tickets: search, backlog, and what the SLA check must look at. Each uses an index. */
public final class TicketQueries {

    /** A page of tickets, newest first, and how many match in all. */
    public record Page(List<Ticket> tickets, long total, int page, int size) {}

    /** Open tickets of one queue and priority, and how many of them breach their SLA. */
    public record BacklogRow(String queue, String priority, long open, long breaching) {}

    /** The search as SQL: the filter and its parameters, shared by the page, the count and the plan. */
    record Filter(String where, List<Object> params) {
        static Filter of(Requests.Search s, String tenant) {
            StringBuilder where = new StringBuilder(" where true");
            List<Object> params = new ArrayList<>();
            if (tenant != null) {
                where.append(" and tenant = ?");
                params.add(tenant);
            }
            if (s.customerId() != null) {
                where.append(" and customer_id = ?");
                params.add(s.customerId());
            }
            if (s.status() != null) {
                where.append(" and status = ?");
                params.add(s.status().toString());
            }
            if (s.queue() != null) {
                where.append(" and queue = ?");
                params.add(s.queue());
            }
            if (s.priority() != null) {
                where.append(" and priority = ?");
                params.add(s.priority().toString());
            }
            if (s.slaBreached() != null) {
                where.append(
                        s.slaBreached()
                                ? " and (first_response_breached or resolution_breached)"
                                : " and not first_response_breached and not resolution_breached");
            }
            return new Filter(where.toString(), params);
        }

        void bind(PreparedStatement st) throws SQLException {
            for (int i = 0; i < params.size(); i++) {
                st.setObject(i + 1, params.get(i));
            }
        }
    }

    public Page search(Connection c, Requests.Search s) throws SQLException {
        return search(c, s, null);
    }

    /** The search within one tenant's tickets (null: every tenant's). */
    public Page search(Connection c, Requests.Search s, String tenant) throws SQLException {
        Filter f = Filter.of(s, tenant);
        List<Ticket> tickets = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(pageSql(f, s))) {
            f.bind(st);
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    tickets.add(TicketStore.read(r));
                }
            }
        }
        long total;
        try (PreparedStatement st = c.prepareStatement("select count(*) from ticket" + f.where())) {
            f.bind(st);
            try (ResultSet r = st.executeQuery()) {
                r.next();
                total = r.getLong(1);
            }
        }
        return new Page(tickets, total, s.page(), s.size());
    }

    /** PostgreSQL's plan for the search's page query, for the docs and the test that keeps it on an index. */
    public String plan(Connection c, Requests.Search s) throws SQLException {
        Filter f = Filter.of(s, null);
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement st = c.prepareStatement("explain " + pageSql(f, s))) {
            f.bind(st);
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    plan.append(r.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }

    private static String pageSql(Filter f, Requests.Search s) {
        return "select " + TicketStore.COLUMNS + " from ticket" + f.where() + " order by created_at desc, id limit "
                + s.size() + " offset " + ((long) s.page() * s.size());
    }

    public List<BacklogRow> backlog(Connection c) throws SQLException {
        List<BacklogRow> rows = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                        "select queue, priority, count(*), "
                                + "count(*) filter (where first_response_breached or resolution_breached) from ticket "
                                + "where status in ('new', 'open', 'pending') group by queue, priority order by queue, priority");
                ResultSet r = st.executeQuery()) {
            while (r.next()) {
                rows.add(new BacklogRow(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4)));
            }
        }
        return rows;
    }

    /** Open tickets whose first response is overdue and not yet marked, locked for the caller. */
    public List<Ticket> firstResponseOverdue(Connection c, Instant now, int limit) throws SQLException {
        return overdue(
                c, "first_response_at is null and not first_response_breached and first_response_due < ?", now, limit);
    }

    public List<Ticket> resolutionOverdue(Connection c, Instant now, int limit) throws SQLException {
        return overdue(c, "not resolution_breached and resolution_due < ?", now, limit);
    }

    private List<Ticket> overdue(Connection c, String condition, Instant now, int limit) throws SQLException {
        List<Ticket> out = new ArrayList<>();
        // SKIP LOCKED: several ticketing instances may run the check at once without waiting on each other.
        try (PreparedStatement st = c.prepareStatement("select " + TicketStore.COLUMNS + " from ticket where status in "
                + "('new', 'open', 'pending') and " + condition + " limit " + limit + " for update skip locked")) {
            st.setTimestamp(1, TicketStore.ts(now));
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    out.add(TicketStore.read(r));
                }
            }
        }
        return out;
    }
}
