package io.meshdesk.telemetry;

import org.jboss.logging.MDC;

import io.opentelemetry.api.trace.Span;

/**
 * The ids a piece of work is about, put where both the logs (MDC: JSON log lines carry them)
 * and the current span (attributes) show them, and taken away again when the work is done.
 */
public final class LogFields implements AutoCloseable {

    private final String key;
    private final Object previous;

    private LogFields(String key, String value) {
        this.key = key;
        this.previous = MDC.get(key);
        if (value != null) {
            MDC.put(key, value);
            Span.current().setAttribute("meshdesk." + snake(key), value);
        }
    }

    public static LogFields session(String sessionId) {
        return new LogFields("sessionId", sessionId);
    }

    public static LogFields ticket(String ticketId) {
        return new LogFields("ticketId", ticketId);
    }

    public static LogFields agent(String agentId) {
        return new LogFields("agentId", agentId);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
