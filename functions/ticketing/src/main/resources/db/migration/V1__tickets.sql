-- Tickets are durable business records: every change is kept in ticket_history.
create table ticket (
    id                     uuid primary key,
    customer_id            text        not null,
    subject                text        not null,
    description            text        not null,
    queue                  text        not null,
    priority               text        not null check (priority in ('low', 'normal', 'high', 'urgent')),
    channel                text        not null,
    session_id             text,
    status                 text        not null check (status in ('new', 'open', 'pending', 'resolved', 'closed')),
    assignee               text,
    version                integer     not null,
    created_at             timestamptz not null,
    updated_at             timestamptz not null,
    first_response_due     timestamptz not null,
    resolution_due         timestamptz not null,
    first_response_at      timestamptz,
    resolved_at            timestamptz,
    closed_at              timestamptz,
    first_response_breached boolean    not null default false,
    resolution_breached    boolean     not null default false,
    idempotency_key        text unique,
    csat_score             integer check (csat_score between 1 and 5),
    csat_comment           text
);

-- ticket-search: newest first, optionally by customer, status, queue, priority, breach.
create index ticket_by_created on ticket (created_at desc, id);
create index ticket_by_customer on ticket (customer_id, created_at desc);
create index ticket_by_status_queue on ticket (status, queue, created_at desc);
-- backlog and the SLA check only look at open tickets.
create index ticket_open_by_queue on ticket (queue, priority) where status in ('new', 'open', 'pending');
create index ticket_open_first_response_due on ticket (first_response_due)
    where first_response_at is null and not first_response_breached and status in ('new', 'open', 'pending');
create index ticket_open_resolution_due on ticket (resolution_due)
    where not resolution_breached and status in ('new', 'open', 'pending');
create index ticket_by_session on ticket (session_id) where session_id is not null;

create table ticket_history (
    id         bigserial primary key,
    ticket_id  uuid        not null references ticket (id),
    at         timestamptz not null,
    actor      text        not null,
    field      text        not null,
    from_value text,
    to_value   text
);
create index ticket_history_by_ticket on ticket_history (ticket_id, id);

create table ticket_comment (
    id          bigserial primary key,
    ticket_id   uuid        not null references ticket (id),
    author      text        not null,
    author_role text        not null check (author_role in ('customer', 'agent')),
    body        text        not null,
    internal    boolean     not null,
    created_at  timestamptz not null
);
create index ticket_comment_by_ticket on ticket_comment (ticket_id, id);

-- Chat transcripts archived when a session ends.
create table transcript (
    session_id  text primary key,
    ticket_id   uuid references ticket (id),
    received_at timestamptz not null,
    body        jsonb       not null
);

-- CloudEvents already handled, so a redelivered event changes nothing.
create table processed_event (
    event_id     text primary key,
    type         text        not null,
    processed_at timestamptz not null
);
