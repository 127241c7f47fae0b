package io.meshdesk.routing.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.etcd.jetcd.options.DeleteOption;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.routing.json.RoutingJson;
import io.meshdesk.routing.state.Agent;
import io.meshdesk.routing.state.AgentLoad;
import io.meshdesk.routing.state.AgentStatus;
import io.meshdesk.routing.state.QueueKeys;
import io.meshdesk.session.contract.Channel;
import io.meshdesk.session.contract.Priority;
import io.meshdesk.session.contract.SessionRecord;
import io.meshdesk.session.contract.SessionState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit is the only judge of exactly-once assignment in the other tests, so it is shown
 * each kind of violation it promises to find, seeded straight into etcd, and must name it; a
 * consistent keyspace must give no violation at all.
 */
@Timeout(60)
class AuditTest {

    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    static EtcdCluster cluster;
    static BlockingEtcd etcd;

    @BeforeAll
    static void start() {
        cluster = EtcdCluster.single();
        etcd = BlockingEtcd.connect(cluster.endpoints(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void empty() {
        etcd.await(
                etcd.kv()
                        .delete(
                                Keyspace.bytes(Keyspace.ROOT),
                                DeleteOption.builder().isPrefix(true).build()),
                "emptying the keyspace");
    }

    @Test
    void aConsistentKeyspaceHasNoViolation() {
        seedConsistent();
        AuditReport report = new Audit(etcd).run();
        assertThat(report.violations()).isEmpty();
        assertThat(report.queued()).isEqualTo(1);
        assertThat(report.assigned()).isEqualTo(1);
    }

    @Test
    void aLoadWhoseSessionsDoNotAddUpIsReported() {
        seedConsistent();
        put(Keyspace.load("a-1"), new AgentLoad("a-1", 7, 50, T0, Map.of("s-assigned", 25)));
        assertViolations(v -> assertThat(v)
                .anyMatch(s -> s.contains("agent a-1: load says 50 units used but its " + "sessions add up to 25")));
    }

    @Test
    void anAgentOverCapacityIsReported() {
        seedConsistent();
        put(Keyspace.agent("a-1"), agent("a-1", 20));
        assertViolations(v -> assertThat(v).contains("agent a-1 is over capacity: 25 of 20 units used"));
    }

    @Test
    void aSessionHeldByTwoAgentsIsReported() {
        seedConsistent();
        put(Keyspace.agent("a-2"), agent("a-2", 100));
        put(Keyspace.load("a-2"), new AgentLoad("a-2", 8, 25, T0, Map.of("s-assigned", 25)));
        assertViolations(v -> assertThat(v).contains("session s-assigned is held by two agents: a-1 and a-2"));
    }

    @Test
    void aLoadHoldingASessionThatIsNotAssignedToItIsReported() {
        seedConsistent();
        put(Keyspace.load("a-1"), new AgentLoad("a-1", 7, 50, T0, Map.of("s-assigned", 25, "s-queued", 25)));
        assertViolations(v -> assertThat(v).contains("agent a-1 holds session s-queued but the session is queued"));
    }

    @Test
    void aLoadHoldingAMissingSessionIsReported() {
        seedConsistent();
        put(Keyspace.load("a-1"), new AgentLoad("a-1", 7, 50, T0, Map.of("s-assigned", 25, "s-gone", 25)));
        assertViolations(v -> assertThat(v).contains("agent a-1 holds session s-gone but the session is missing"));
    }

    @Test
    void aQueuedSessionWithoutQueueEntryIsReportedAsLost() {
        seedConsistent();
        etcd.await(etcd.kv().delete(Keyspace.bytes(QueueKeys.of(queued()))), "deleting a queue entry");
        assertViolations(v -> assertThat(v).contains("session s-queued is queued but has no queue entry (lost)"));
    }

    @Test
    void anAssignedSessionThatNoLoadHoldsIsReported() {
        seedConsistent();
        put(Keyspace.load("a-1"), new AgentLoad("a-1", 7, 0, T0, Map.of()));
        assertViolations(v ->
                assertThat(v).contains("session s-assigned is assigned to a-1 but that agent's load does not hold it"));
    }

    @Test
    void aQueueEntryOfNoQueuedSessionIsReported() {
        seedConsistent();
        SessionRecord ghost = session("s-ghost", SessionState.QUEUED, null);
        put(QueueKeys.of(ghost), ghost.sessionId());
        assertViolations(
                v -> assertThat(v).contains("queue entry " + QueueKeys.of(ghost) + " belongs to no queued session"));
    }

    @Test
    void aSessionValueThatIsNotASessionIsReportedAndTheRestStillAudited() {
        seedConsistent();
        etcd.await(
                etcd.kv()
                        .put(
                                Keyspace.bytes(Keyspace.session("s-odd")),
                                Keyspace.bytes("{\"sessionId\":\"s-odd\",\"state\":\"lost\"}")),
                "seeding an unreadable session");
        put(Keyspace.load("a-1"), new AgentLoad("a-1", 7, 0, T0, Map.of()));
        assertViolations(v -> assertThat(v)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("session key " + Keyspace.session("s-odd") + " is not a readable session"))
                .contains("session s-assigned is assigned to a-1 but that agent's load does not hold it"));
    }

    private static void assertViolations(Consumer<List<String>> check) {
        List<String> violations = new Audit(etcd).run().violations();
        assertThat(violations).isNotEmpty();
        check.accept(violations);
    }

    /** One agent holding one assigned session, and one queued session with its queue entry. */
    private static void seedConsistent() {
        put(Keyspace.agent("a-1"), agent("a-1", 100));
        put(Keyspace.load("a-1"), new AgentLoad("a-1", 7, 25, T0, Map.of("s-assigned", 25)));
        put(Keyspace.session("s-assigned"), session("s-assigned", SessionState.ASSIGNED, "a-1"));
        SessionRecord queued = queued();
        put(Keyspace.session(queued.sessionId()), queued);
        put(QueueKeys.of(queued), queued.sessionId());
    }

    private static SessionRecord queued() {
        return session("s-queued", SessionState.QUEUED, null);
    }

    private static Agent agent(String id, int capacity) {
        return new Agent(
                id, id, "cn-north", Map.of(), List.of("en"), capacity, 100, AgentStatus.AVAILABLE, 7, T0, null);
    }

    private static SessionRecord session(String id, SessionState state, String agentId) {
        return new SessionRecord(
                id,
                "cn-north",
                "c-" + id,
                Channel.WEB,
                "en",
                Map.of(),
                Priority.STANDARD,
                null,
                null,
                25,
                state,
                agentId,
                T0,
                agentId == null ? null : T0.plusSeconds(1),
                null,
                null,
                0);
    }

    private static void put(String key, Object value) {
        etcd.await(etcd.kv().put(Keyspace.bytes(key), RoutingJson.encode(value)), "seeding " + key);
    }
}
