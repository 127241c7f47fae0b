package io.meshdesk.ticketing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.etcd.jetcd.ByteSequence;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.testing.EtcdTestResource;
import io.meshdesk.identity.testing.TestTokens;
import io.meshdesk.localservers.LogCapture;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What ops rely on when they follow a ticket: log levels changed in etcd reach a running
 * ticketing within a second (the README's promise, tested as exactly that), and every JSON log
 * line written while a request is served carries the caller's trace.
 */
@QuarkusTest
@TestProfile(TicketTelemetryTest.LevelsFromEtcd.class)
@QuarkusTestResource(PostgresTestResource.class)
@Timeout(60)
class TicketTelemetryTest {

    /** The README: "Levels at run time from etcd, applied within a second". */
    static final Duration PROMISE = Duration.ofSeconds(1);
    /** Every other wait (the watch starting, spans being exported). */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    static final String CATEGORY = "io.meshdesk.ticketing";
    static final String KEY = "/meshdesk/config/log-level/ticketing/" + CATEGORY;
    static final String WARM_UP = KEY + ".warm-up";
    static final ObjectMapper JSON = new ObjectMapper();

    /** Ticketing follows its levels in etcd (tests otherwise run without etcd). */
    public static class LevelsFromEtcd implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("%test.meshdesk.log-levels.from-etcd", "true", "quarkus.otel.bsp.schedule.delay", "50ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EtcdTestResource.class));
        }
    }

    @Inject
    BlockingEtcd etcd;

    @Inject
    InMemorySpanExporter spans;

    private LogCapture logs;

    @BeforeEach
    void listen() {
        logs = LogCapture.of("");
    }

    @AfterEach
    void stopListening() {
        logs.close();
        etcd.await(etcd.kv().delete(bytes(KEY)), "test");
        etcd.await(etcd.kv().delete(bytes(WARM_UP)), "test");
    }

    @Test
    void aLevelPutInEtcdTakesEffectWithinASecondAndDeletingItRestoresTheConfiguredLevel() {
        Map<String, Object> t = Api.create("cust-lv", "support", "low");
        // The watch starts in the background at start-up: wait for it once, on another category.
        put(WARM_UP, "DEBUG");
        await().atMost(TIMEOUT)
                .until(() -> Logger.getLogger("io.meshdesk.ticketing.warm-up").isLoggable(Level.FINE));
        assertThat(debugLinesOfReading(t)).as("at the configured INFO").isZero();

        put(KEY, "debug");
        await().atMost(PROMISE)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> Logger.getLogger(CATEGORY).isLoggable(Level.FINE));
        assertThat(debugLinesOfReading(t)).as("ticketing's own debug line").isEqualTo(1);

        etcd.await(etcd.kv().delete(bytes(KEY)), "test");
        await().atMost(PROMISE)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> !Logger.getLogger(CATEGORY).isLoggable(Level.FINE));
        assertThat(debugLinesOfReading(t)).as("back at the configured INFO").isZero();
    }

    @Test
    void jsonLogLinesOfARequestCarryTheCallersTraceAndTheSpanServingIt() throws Exception {
        Formatter json = LogCapture.consoleFormatter();
        String trace = "4bf92f3577b34da6a3ce929d0e0e" + "4736";
        String parent = "00f067aa0ba902b7";
        Map<String, Object> t = Api.ok(Api.as(TestTokens.agent(Api.AGENT))
                .header("traceparent", "00-" + trace + "-" + parent + "-01")
                .body(Api.ticket("cust-trace", "support", "low"))
                .post("/ticket-create"));

        String created = "ticket " + t.get("ticketId") + " created";
        LogRecord record = logs.records().stream()
                .filter(r -> json.formatMessage(r).startsWith(created))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no log line '" + created + "...'"));
        JsonNode line = JSON.readTree(json.format(record));
        assertThat(line.path("message").asText()).startsWith(created);
        assertThat(line.path("function").asText()).isEqualTo("ticketing");
        assertThat(line.path("mdc").path("traceId").asText()).isEqualTo(trace);
        String spanId = line.path("mdc").path("spanId").asText();
        assertThat(spanId).matches("[0-9a-f]{16}").isNotEqualTo(parent);

        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                        .as("the logged span is ticketing's server span, a child of the caller's")
                        .anySatisfy(s -> {
                            assertThat(s.getSpanId()).isEqualTo(spanId);
                            assertThat(s.getTraceId()).isEqualTo(trace);
                            assertThat(s.getKind()).isEqualTo(SpanKind.SERVER);
                            assertThat(s.getParentSpanId()).isEqualTo(parent);
                        }));
    }

    private long debugLinesOfReading(Map<String, Object> ticket) {
        logs.clear();
        Api.ok(Api.call("ticket-get", Map.of("ticketId", ticket.get("ticketId"))));
        String read = "ticket " + ticket.get("ticketId") + " read";
        return logs.records().stream()
                .filter(r -> r.getLevel().intValue() < Level.INFO.intValue())
                .filter(r -> r.getLoggerName().startsWith(CATEGORY))
                .filter(r -> LogCapture.formatted(r).startsWith(read))
                .count();
    }

    private void put(String key, String value) {
        etcd.await(etcd.kv().put(bytes(key), bytes(value)), "test");
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
