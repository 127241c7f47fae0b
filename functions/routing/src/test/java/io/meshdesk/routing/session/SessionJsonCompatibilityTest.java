package io.meshdesk.routing.session;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshdesk.routing.json.RoutingJson;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing writes its sessions through the session contract, and the bytes in etcd are the ones
 * routing wrote before the contract existed: sessions stored by an older routing stay readable,
 * and a reader of the old bytes sees no change.
 */
class SessionJsonCompatibilityTest {

    /** What routing wrote for this session before the contract module (captured from that code). */
    static final String STORED = "{\"sessionId\":\"s-1\",\"region\":\"cn-north\",\"customerId\":\"c-1\","
            + "\"channel\":\"app\",\"language\":\"en\",\"skills\":{\"billing\":2},\"priority\":\"premium\","
            + "\"preferredAgentId\":\"a-1\",\"preferredUntil\":\"2026-12-01T12:00:05Z\",\"cost\":25,"
            + "\"state\":\"closed\",\"agentId\":\"a-2\",\"enqueuedAt\":\"2026-12-01T12:00:00.123456789Z\","
            + "\"assignedAt\":\"2026-12-01T12:00:01Z\",\"closedAt\":\"2026-12-01T12:10:00Z\","
            + "\"outcome\":\"unresolved\",\"requeues\":1}";

    static Session session() {
        return new Session(
                "s-1",
                "cn-north",
                "c-1",
                Channel.APP,
                "en",
                Map.of("billing", 2),
                Priority.PREMIUM,
                "a-1",
                Instant.parse("2026-12-01T12:00:05Z"),
                25,
                SessionState.CLOSED,
                "a-2",
                Instant.parse("2026-12-01T12:00:00.123456789Z"),
                Instant.parse("2026-12-01T12:00:01Z"),
                Instant.parse("2026-12-01T12:10:00Z"),
                Outcome.UNRESOLVED,
                1);
    }

    @Test
    void aSessionIsStoredWithTheBytesRoutingAlwaysWrote() {
        assertThat(new String(RoutingJson.encode(session()).getBytes(), StandardCharsets.UTF_8))
                .isEqualTo(STORED);
    }

    @Test
    void routingsEnumsHaveExactlyTheContractsConstants() {
        assertThat(names(Channel.values())).isEqualTo(names(io.meshdesk.session.contract.Channel.values()));
        assertThat(names(Priority.values())).isEqualTo(names(io.meshdesk.session.contract.Priority.values()));
        assertThat(names(SessionState.values())).isEqualTo(names(io.meshdesk.session.contract.SessionState.values()));
        assertThat(names(Outcome.values())).isEqualTo(names(io.meshdesk.session.contract.Outcome.values()));
    }

    @Test
    void aStoredSessionReadsBackAsItWasWritten() {
        assertThat(RoutingJson.decode(io.etcd.jetcd.ByteSequence.from(STORED, StandardCharsets.UTF_8), Session.class))
                .isEqualTo(session());
    }

    @Test
    void eachChangeKeepsEveryOtherField() {
        Session s = session();
        Session assigned = s.assignedTo("a-3", Instant.parse("2026-12-01T13:00:00Z"));
        assertThat(assigned)
                .usingRecursiveComparison()
                .ignoringFields("state", "agentId", "assignedAt", "closedAt", "outcome")
                .isEqualTo(s);
        assertThat(assigned.state()).isEqualTo(SessionState.ASSIGNED);
        assertThat(assigned.closedAt()).isNull();
        Session requeued = assigned.requeued();
        assertThat(requeued.requeues()).isEqualTo(2);
        assertThat(requeued.enqueuedAt()).isEqualTo(s.enqueuedAt());
        assertThat(requeued.preferredAgentId()).isNull();
        assertThat(requeued.closed(Outcome.ABANDONED, Instant.EPOCH).outcome()).isEqualTo(Outcome.ABANDONED);
    }

    private static java.util.List<String> names(Enum<?>[] values) {
        return java.util.Arrays.stream(values).map(Enum::name).toList();
    }
}
