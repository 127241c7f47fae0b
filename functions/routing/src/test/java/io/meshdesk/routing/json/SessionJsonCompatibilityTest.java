package io.meshdesk.routing.json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.etcd.jetcd.ByteSequence;
import io.meshdesk.session.contract.Channel;
import io.meshdesk.session.contract.Outcome;
import io.meshdesk.session.contract.Priority;
import io.meshdesk.session.contract.SessionRecord;
import io.meshdesk.session.contract.SessionState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing writes its sessions through the session contract, and the bytes in etcd are the ones
 * routing wrote before the contract existed: sessions stored by an older routing stay readable,
 * and a reader of the old bytes sees no change.
 */
class SessionJsonCompatibilityTest {

    /** What routing wrote before the contract module, captured from that code; kept with the contract. */
    private static final Path STORED = Path.of("")
            .toAbsolutePath()
            .getParent()
            .getParent()
            .resolve("libraries/session-contract/src/test/resources/stored-session.json");

    private static byte[] stored() throws IOException {
        return Files.readAllBytes(STORED);
    }

    private static SessionRecord session() throws IOException {
        return RoutingJson.decode(ByteSequence.from(stored()), SessionRecord.class);
    }

    @Test
    void aStoredSessionReadsIntoRoutingsFieldsAndIsWrittenBackWithTheSameBytes() throws IOException {
        SessionRecord s = session();
        assertThat(s.channel()).isEqualTo(Channel.APP);
        assertThat(s.priority()).isEqualTo(Priority.PREMIUM);
        assertThat(s.state()).isEqualTo(SessionState.CLOSED);
        assertThat(s.outcome()).isEqualTo(Outcome.UNRESOLVED);
        assertThat(s.enqueuedAt()).isEqualTo(Instant.parse("2026-12-01T12:00:00.123456789Z"));
        assertThat(s.skills()).containsEntry("billing", 2);
        assertThat(s.requeues()).isEqualTo(1);
        assertThat(RoutingJson.encode(s).getBytes()).isEqualTo(stored());
    }

    @Test
    void eachChangeKeepsEveryOtherField() throws IOException {
        SessionRecord s = session();
        SessionRecord assigned = s.assignedTo("a-3", Instant.parse("2026-12-01T13:00:00Z"));
        assertThat(assigned)
                .usingRecursiveComparison()
                .ignoringFields("state", "agentId", "assignedAt", "closedAt", "outcome")
                .isEqualTo(s);
        assertThat(assigned.state()).isEqualTo(SessionState.ASSIGNED);
        assertThat(assigned.closedAt()).isNull();
        SessionRecord requeued = assigned.requeued();
        assertThat(requeued.requeues()).isEqualTo(2);
        assertThat(requeued.enqueuedAt()).isEqualTo(s.enqueuedAt());
        assertThat(requeued.preferredAgentId()).isNull();
        assertThat(requeued.closedAs(Outcome.ABANDONED, Instant.EPOCH).outcome())
                .isEqualTo(Outcome.ABANDONED);
    }
}
