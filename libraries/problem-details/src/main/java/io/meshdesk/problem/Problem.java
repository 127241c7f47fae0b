package io.meshdesk.problem;

/**
 * A failure a caller can act on: it carries the HTTP status and an RFC 9457 body.
 *
 * <p>Functions throw these instead of returning error objects so that every function, called
 * as plain JSON or as a CloudEvent, answers a problem the same way ({@link ProblemResponses}).
 */
public class Problem extends RuntimeException {

    private final int status;
    private final String title;
    private final String field;

    protected Problem(int status, String title, String detail, String field, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    /** 400: the request names a field whose value cannot be used. */
    public static Problem invalid(String field, String detail) {
        return new Problem(400, "Invalid request", detail, field, null);
    }

    /** 400: the request as a whole cannot be used (no single field to blame). */
    public static Problem badRequest(String detail) {
        return new Problem(400, "Invalid request", detail, null, null);
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "Forbidden", detail, null, null);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "Not found", detail, null, null);
    }

    public static Problem methodNotAllowed(String detail) {
        return new Problem(405, "Method not allowed", detail, null, null);
    }

    public static Problem unsupportedMediaType(String detail) {
        return new Problem(415, "Unsupported media type", detail, "Content-Type", null);
    }

    public static Problem tooLarge(String detail) {
        return new Problem(413, "Content too large", detail, null, null);
    }

    /** A status Vert.x or Funqy set without saying why, worded for the caller. */
    public static Problem ofStatus(int status, String title, String detail) {
        return new Problem(status, title, detail, null, null);
    }

    public static Problem conflict(String detail) {
        return new Problem(409, "Conflict", detail, null, null);
    }

    public static Problem unavailable(String detail, Throwable cause) {
        return new Problem(503, "Service unavailable", detail, null, cause);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** The request field the problem is about, or null. */
    public String field() {
        return field;
    }
}
