package io.meshdesk.localservers;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

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
