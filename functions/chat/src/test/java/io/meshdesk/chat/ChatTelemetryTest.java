package io.meshdesk.chat;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Formatter;
import java.util.logging.Handler;
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

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.localservers.LogCapture;
import io.meshdesk.token.ParticipantRole;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What ops rely on to follow one chat, against the packaged function: a W3C traceparent sent on
 * the gRPC call continues into chat's spans and its JSON log lines, and a log level put in etcd
 * takes effect within a second (the README's promise) and goes away with the key.
 */
@QuarkusTest
@QuarkusTestResource(io.meshdesk.etcd.testing.EtcdTestResource.class)
@Timeout(60)
class ChatTelemetryTest {

    /** The README promises run-time levels "within a second". */
    static final Duration LEVEL_PROMISE = Duration.ofSeconds(1);

    static final String LEVEL_KEY = "/meshdesk/config/log-level/chat/io.meshdesk.chat";
    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @Inject
    InMemorySpanExporter spans;

    @Inject
    BlockingEtcd etcd;

    ManagedChannel shared;
    String session;
    final JsonLines lines = new JsonLines();

    @BeforeEach
    void setUp() throws Exception {
        shared = RunningChat.channel(root);
        session = "tel-" + System.nanoTime();
        RunningChat.putAssignedSession(session, "cust", "agent");
        Logger.getLogger("io.meshdesk").addHandler(lines);
    }

    @AfterEach
    void tearDown() throws Exception {
        Logger.getLogger("io.meshdesk").removeHandler(lines);
        etcd.await(etcd.kv().delete(io.meshdesk.etcd.Keyspace.bytes(LEVEL_KEY)), "test clean-up");
        shared.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    ChatConnection customer(Metadata extra) {
        return new ChatConnection(shared, RunningChat.TOKENS.issue(session, "cust", ParticipantRole.CUSTOMER), extra)
                .join(session, "cust", Role.CUSTOMER, 0);
    }

    @Test
    void aTraceparentOnTheGrpcCallContinuesIntoChatsSpansAndJsonLogLines() {
        String trace = hex(32);
        String parent = hex(16);
        Metadata headers = new Metadata();
        headers.put(
                Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), "00-" + trace + "-" + parent + "-01");
        try (ChatConnection customer = customer(headers)) {
            customer.text("where is my parcel?", "tp-1");
            customer.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
            customer.hangUp();
            customer.awaitEnd();
        }

        await().atMost(ChatConnection.TIMEOUT).untilAsserted(() -> {
            List<SpanData> journey = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(trace))
                    .toList();
            assertThat(journey)
                    .as("the Connect call's server span continues the caller's trace")
                    .anyMatch(s -> s.getKind() == SpanKind.SERVER
                            && s.getName().contains("Connect")
                            && s.getParentSpanId().equals(parent));
            assertThat(journey)
                    .as("the append of the text to etcd is a span of the same trace, about this session")
                    .anyMatch(s -> s.getName().equals("etcd txn")
                            && s.getAttributes().asMap().toString().contains(session));
        });

        JsonNode joined = lines.find("customer cust joined session " + session);
        assertThat(joined.path("mdc").path("traceId").asText())
                .as("the join's log line carries the caller's trace id: " + joined)
                .isEqualTo(trace);
        assertThat(joined.path("mdc").path("spanId").asText()).matches("[0-9a-f]{16}");
        assertThat(joined.path("mdc").path("sessionId").asText()).isEqualTo(session);
        assertThat(joined.path("function").asText()).isEqualTo("chat");
        assertThat(joined.path("region").asText()).isEqualTo("cn-north");
    }

    @Test
    void aLevelPutInEtcdTurnsChatDebugOnWithinASecondAndDeletingTheKeyTurnsItOff() {
        try (ChatConnection customer = customer(new Metadata())) {
            customer.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasEvent));
            sendAndAwaitEcho(customer, "before");
            assertThat(lines.debug())
                    .as("no debug lines at the configured INFO")
                    .isEmpty();

            etcd.await(
                    etcd.kv().put(io.meshdesk.etcd.Keyspace.bytes(LEVEL_KEY), io.meshdesk.etcd.Keyspace.bytes("DEBUG")),
                    "test");
            await().atMost(LEVEL_PROMISE)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> Logger.getLogger("io.meshdesk.chat").isLoggable(Level.FINE));
            sendAndAwaitEcho(customer, "while-debug");
            assertThat(lines.debug())
                    .as("each packet is a DEBUG line once the level is on")
                    .anySatisfy(line ->
                            assertThat(line.path("message").asText()).contains("customer cust sent a text packet"));

            etcd.await(etcd.kv().delete(io.meshdesk.etcd.Keyspace.bytes(LEVEL_KEY)), "test");
            await().atMost(LEVEL_PROMISE)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> !Logger.getLogger("io.meshdesk.chat").isLoggable(Level.FINE));
            lines.clear();
            sendAndAwaitEcho(customer, "after");
            assertThat(lines.debug()).as("back to INFO once the key is gone").isEmpty();
        }
    }

    /** The echo comes after chat handled the packet, so its debug line (if any) is written by then. */
    private static void sendAndAwaitEcho(ChatConnection c, String id) {
        c.text("text " + id, id);
        c.awaitReceived(r -> r.stream()
                .anyMatch(p -> p.hasText() && p.getText().getClientMsgId().equals(id)));
    }

    private static String hex(int length) {
        StringBuilder s = new StringBuilder();
        while (s.length() < length) {
            s.append(Integer.toHexString(ThreadLocalRandom.current().nextInt(16)));
        }
        return s.toString();
    }

    /**
     * The lines the function's own JSON console formatter writes, formatted on the logging thread
     * (where the MDC, with the trace ids, belongs to the record).
     */
    static final class JsonLines extends Handler {
        private final Formatter json = LogCapture.consoleFormatter();
        private final List<JsonNode> lines = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            try {
                lines.add(JSON.readTree(json.format(record)));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("a log line is not JSON", e);
            }
        }

        JsonNode find(String messagePart) {
            return lines.stream()
                    .filter(l -> l.path("message").asText().contains(messagePart))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no log line contains '" + messagePart + "'"));
        }

        List<JsonNode> debug() {
            return lines.stream()
                    .filter(l -> l.path("level").asText().equals("DEBUG"))
                    .toList();
        }

        void clear() {
            lines.clear();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
