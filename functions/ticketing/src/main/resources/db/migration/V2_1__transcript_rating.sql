-- A chat is rated once after it ends, whether or not it became a ticket: the rating lives with
-- the session's archived transcript (ticket ratings stay on the ticket).
alter table transcript
    add column csat_score   smallint check (csat_score between 1 and 5),
    add column csat_comment text,
    add column rated_at     timestamptz;
