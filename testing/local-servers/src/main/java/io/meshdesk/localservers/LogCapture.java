package io.meshdesk.localservers;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtHandler;

/**
 * What a function running in the test's own JVM (a {@code @QuarkusTest}) logs under one
 * category, from {@link #of} until {@link #close}: the records as the log manager made them, so
 * a test can read levels, messages and (with the function's formatter) the lines ops would read.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final String category;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(String category) {
        this.category = category;
    }

    /** Starts capturing {@code category} and everything below it ("" for every logger). */
    public static LogCapture of(String category) {
        LogCapture capture = new LogCapture(category);
        Logger.getLogger(category).addHandler(capture);
        return capture;
    }

    /** The records so far, oldest first. */
    public List<LogRecord> records() {
        return records;
    }

    public void clear() {
        records.clear();
    }

    /** A record's message with its parameters filled in, as the log line shows it. */
    public static String formatted(LogRecord r) {
        return r.getParameters() == null ? r.getMessage() : String.format(r.getMessage(), r.getParameters());
    }

    /**
     * The formatter Quarkus put on the console (JSON unless {@code quarkus.log.console.json.enabled}
     * is off), so a test can read the lines ops would read. Format a record on the thread that
     * logged it when the line's MDC (trace ids) matters.
     */
    public static Formatter consoleFormatter() {
        Deque<Handler> handlers = new ArrayDeque<>(List.of(Logger.getLogger("").getHandlers()));
        while (!handlers.isEmpty()) {
            Handler h = handlers.pop();
            if (h.getFormatter() != null
                    && h.getFormatter().getClass().getSimpleName().equals("JsonFormatter")) {
                return h.getFormatter();
            }
            if (h instanceof ExtHandler nested) {
                handlers.addAll(List.of(nested.getHandlers()));
            }
        }
        throw new IllegalStateException("no JSON formatter on the console: is quarkus.log.console.json.enabled off?");
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger(category).removeHandler(this);
    }
}
