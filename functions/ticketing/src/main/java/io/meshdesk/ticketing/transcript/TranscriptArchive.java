package io.meshdesk.ticketing.transcript;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.meshdesk.identity.AuthProblem;
import io.meshdesk.problem.Problem;
import io.meshdesk.ticketing.metrics.TicketMetrics;
import io.meshdesk.ticketing.storage.Database;

/**
 * The archived chat transcripts: read back with the ticket a session became, and rated once by
 * the customer after the chat ends (the rating counts in {@code meshdesk_csat_score} with the
 * session's channel).
 */
public final class TranscriptArchive {

    /** The queue label of a chat rating: it belongs to the chat, not to a ticket queue. */
    static final String CHAT_QUEUE = "chat";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final TicketMetrics metrics;
    private final Clock clock;

    public TranscriptArchive(Database db, TicketMetrics metrics, Clock clock) {
        this.db = db;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The transcript of a session as chat handed it over, or null when it has not arrived (yet). */
    public JsonNode find(String sessionId) {
        if (sessionId == null) {
            return null;
        }
        return db.inTransaction("reading the transcript of session " + sessionId, c -> {
            try (PreparedStatement s = c.prepareStatement("select body from transcript where session_id = ?")) {
                s.setString(1, sessionId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? parse(r.getString(1)) : null;
                }
            }
        });
    }

    /** What {@code session-rate} answers. */
    public record Rated(String sessionId, String channel, int score) {}

    /** Rates the chat of a session for its customer; anyone else gets a 403 that says whose it is not. */
    public Rated rate(SessionRating r, String customerId) {
        Rated rated = db.inTransaction("rating the chat of session " + r.sessionId(), c -> {
            String channel = channelOf(c, r.sessionId(), customerId);
            try (PreparedStatement s = c.prepareStatement("update transcript set csat_score = ?, csat_comment = ?, "
                    + "rated_at = ? where session_id = ? and csat_score is null")) {
                s.setInt(1, r.score());
                s.setString(2, r.comment());
                s.setTimestamp(3, Timestamp.from(clock.instant()));
                s.setString(4, r.sessionId());
                if (s.executeUpdate() == 0) {
                    throw Problem.conflict(
                            "the chat of session " + r.sessionId() + " was rated already; a chat is " + "rated once");
                }
            }
            return new Rated(r.sessionId(), channel, r.score());
        });
        metrics.satisfaction(CHAT_QUEUE, rated.channel(), rated.score());
        return rated;
    }

    private static String channelOf(Connection c, String sessionId, String customerId) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("select body ->> 'channel', body ->> 'customerId' from transcript "
                        + "where session_id = ? for update")) {
            s.setString(1, sessionId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    // Chat hands the transcript over a moment after the session closes.
                    throw Problem.conflict("the chat of session " + sessionId + " has not been archived yet (or the "
                            + "session does not exist); try again in a few seconds");
                }
                if (!customerId.equals(r.getString(2))) {
                    throw AuthProblem.forbidden("session-rate: only the customer of session " + sessionId
                            + " rates its chat, and " + customerId + " is not that customer");
                }
                String channel = r.getString(1);
                return channel == null || channel.isBlank() ? "unknown" : channel;
            }
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("an archived transcript is not JSON", e);
        }
    }
}
