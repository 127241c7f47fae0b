package io.meshdesk.ticketing.transcript;

import io.meshdesk.problem.Problem;

/** What {@code session-rate} takes: the session whose chat is rated, a score 1-5, a comment. */
public record SessionRating(String sessionId, Integer score, String comment) {
    public SessionRating {
        if (sessionId == null || sessionId.isBlank()) {
            throw Problem.invalid("sessionId", "field 'sessionId' is required");
        }
        if (score == null || score < 1 || score > 5) {
            throw Problem.invalid("score", "field 'score' is " + score + "; it must be between 1 and 5");
        }
        if (comment != null && comment.length() > 2000) {
            throw Problem.invalid("comment", "field 'comment' is " + comment.length() + " characters; at most 2000");
        }
    }
}
