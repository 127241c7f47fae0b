package io.meshdesk.chat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails a test when any Vert.x instance in the JVM (jetcd's own, whose event loops run etcd
 * watches, or Quarkus's) logs a blocked-thread warning while it runs: something blocked an
 * event loop or a watch thread, which stalls every stream on it.
 */
final class BlockedThreadWarnings extends Handler implements BeforeEachCallback, AfterEachCallback {

    static final String LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) {
        warnings.clear();
        Logger.getLogger(LOGGER).addHandler(this);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Logger.getLogger(LOGGER).removeHandler(this);
        assertThat(warnings)
                .as("Vert.x blocked-thread warnings (a blocking call on an event loop or watch thread)")
                .isEmpty();
    }

    List<String> warnings() {
        return warnings;
    }

    @Override
    public void publish(LogRecord record) {
        warnings.add(record.getLevel() + " " + record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
