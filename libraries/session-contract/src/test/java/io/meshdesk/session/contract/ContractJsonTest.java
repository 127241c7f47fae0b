package io.meshdesk.session.contract;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContractJsonTest {

    /**
     * The bytes routing stored for a session before this module existed, captured from that
     * code; routing's own test reads the same file to show it still writes them.
     */
    static final String STORED = stored();

    private static final ObjectMapper PLAIN = new ObjectMapper();

    static SessionRecord session() {
        return new SessionRecord(
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

    private static String stored() {
        try (var in = ContractJsonTest.class.getResourceAsStream("/stored-session.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSessionIsWrittenWithTheBytesRoutingAlwaysStored() {
        assertThat(new String(ContractJson.write(session()), StandardCharsets.UTF_8))
                .isEqualTo(STORED);
    }

    @Test
    void storedBytesAndTheirTreeReadBackAsTheSameSession() throws Exception {
        assertThat(ContractJson.readSession(STORED.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(session());
        assertThat(ContractJson.readSession(PLAIN.readTree(STORED))).isEqualTo(session());
    }

    @Test
    void aMissingChannelIsTheOneDefaultEverywhere() throws Exception {
        String noChannel = "{\"sessionId\":\"s-2\",\"state\":\"queued\"}";
        assertThat(ContractJson.readSession(noChannel.getBytes(StandardCharsets.UTF_8))
                        .channel())
                .isEqualTo(Channel.WHEN_MISSING)
                .isEqualTo(Channel.WEB);
        assertThat(ContractJson.readTranscript(PLAIN.readTree("{\"sessionId\":\"s-2\",\"lines\":[]}"))
                        .channel())
                .isEqualTo(Channel.WHEN_MISSING);
    }

    @Test
    void anUnknownEnumValueNamesTheFieldAndTheValuesItMayHave() {
        String fax = STORED.replace("\"app\"", "\"fax\"");
        assertThatThrownBy(() -> ContractJson.readSession(fax.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        ContractViolation.class, v -> assertThat(v.field()).isEqualTo("channel"))
                .hasMessageContaining(
                        "field 'channel' of the session: 'fax' is not one of web, app, miniprogram, phone");
        String paused = STORED.replace("\"closed\"", "\"paused\"");
        assertThatThrownBy(() -> ContractJson.readSession(paused.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("'paused' is not one of queued, assigned, closed");
    }

    @Test
    void aMissingRequiredFieldIsNamed() throws Exception {
        JsonNode noState = PLAIN.readTree("{\"sessionId\":\"s-3\",\"channel\":\"web\"}");
        assertThatThrownBy(() -> ContractJson.readSession(noState))
                .isInstanceOfSatisfying(
                        ContractViolation.class, v -> assertThat(v.field()).isEqualTo("state"))
                .hasMessage("field 'state' is required and missing");
        JsonNode noLines = PLAIN.readTree("{\"sessionId\":\"s-3\"}");
        assertThatThrownBy(() -> ContractJson.readTranscript(noLines))
                .hasMessage("field 'lines' is required and missing");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNotConverted() throws Exception {
        JsonNode numberChannel = PLAIN.readTree("{\"sessionId\":\"s-4\",\"state\":\"queued\",\"channel\":0}");
        assertThatThrownBy(() -> ContractJson.readSession(numberChannel))
                .isInstanceOfSatisfying(
                        ContractViolation.class, v -> assertThat(v.field()).isEqualTo("channel"));
        JsonNode textCost = PLAIN.readTree("{\"sessionId\":\"s-4\",\"state\":\"queued\",\"cost\":\"25\"}");
        assertThatThrownBy(() -> ContractJson.readSession(textCost))
                .isInstanceOfSatisfying(
                        ContractViolation.class, v -> assertThat(v.field()).isEqualTo("cost"));
        JsonNode badSeq = PLAIN.readTree("{\"sessionId\":\"s-4\",\"lines\":[{\"seq\":1},{\"seq\":\"two\"}]}");
        assertThatThrownBy(() -> ContractJson.readTranscript(badSeq))
                .isInstanceOfSatisfying(
                        ContractViolation.class, v -> assertThat(v.field()).isEqualTo("lines[1].seq"));
    }

    @Test
    void fieldsTheContractDoesNotKnowAreSkipped() {
        String newer = STORED.replace("\"requeues\":1", "\"requeues\":1,\"mood\":\"sunny\"");
        assertThat(ContractJson.readSession(newer.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(session());
    }

    @Test
    void aTranscriptRoundTrips() {
        Transcript t = new Transcript(
                "s-5",
                "cn-north",
                "c-5",
                "a-5",
                Channel.PHONE,
                null,
                List.of(new Transcript.Line(1, 1700000000000L, "c-5", "text", "hello")));
        assertThat(ContractJson.readTranscript(ContractJson.tree(t))).isEqualTo(t);
        assertThat(new String(ContractJson.write(t), StandardCharsets.UTF_8))
                .isEqualTo("{\"sessionId\":\"s-5\",\"region\":\"cn-north\",\"customerId\":\"c-5\",\"agentId\":\"a-5\","
                        + "\"channel\":\"phone\",\"outcome\":null,\"lines\":[{\"seq\":1,\"timestampMs\":1700000000000,"
                        + "\"senderId\":\"c-5\",\"kind\":\"text\",\"text\":\"hello\"}]}");
    }

    @Test
    void aWitherChangesOneFieldAndKeepsTheRest() {
        SessionRecord s = session();
        SessionRecord reassigned = s.withAgentId("a-9");
        assertThat(reassigned.agentId()).isEqualTo("a-9");
        assertThat(reassigned.withAgentId(s.agentId())).isEqualTo(s);
        assertThat(s.withState(SessionState.QUEUED).withOutcome(null).closed()).isFalse();
        assertThat(s.withRequeues(4).requeues()).isEqualTo(4);
        assertThat(s.withPreference(null, null).preferredUntil()).isNull();
    }

    @Test
    void anotherMapperWithTheSessionModuleWritesAndReadsAsTheContract() throws Exception {
        // A plain mapper: no time module, dates as numbers, unknown fields fatal; the module decides.
        ObjectMapper other =
                JsonMapper.builder().addModule(ContractJson.sessionModule()).build();
        assertThat(other.writeValueAsString(session())).isEqualTo(STORED);
        assertThat(other.writeValueAsString(Map.of("s", session()))).isEqualTo("{\"s\":" + STORED + "}");
        String newer = STORED.replace("\"requeues\":1", "\"requeues\":1,\"mood\":\"sunny\"");
        assertThat(other.readValue(newer, SessionRecord.class)).isEqualTo(session());
        String fax = STORED.replace("\"app\"", "\"fax\"");
        assertThatThrownBy(() -> other.readValue(fax, SessionRecord.class))
                .isInstanceOfSatisfying(
                        ContractViolation.class, v -> assertThat(v.field()).isEqualTo("channel"));
    }

    @Test
    void routingsTransitionsChangeOnlyTheirFields() {
        SessionRecord closed = session();
        Instant now = Instant.parse("2026-12-01T13:00:00Z");
        SessionRecord assigned = closed.assignedTo("a-3", now);
        assertThat(assigned)
                .isEqualTo(closed.withState(SessionState.ASSIGNED)
                        .withAgentId("a-3")
                        .withAssignedAt(now)
                        .withClosedAt(null)
                        .withOutcome(null));
        SessionRecord requeued = assigned.requeued();
        assertThat(requeued)
                .isEqualTo(assigned.withPreference(null, null)
                        .withState(SessionState.QUEUED)
                        .withAgentId(null)
                        .withAssignedAt(null)
                        .withRequeues(2));
        SessionRecord abandoned = requeued.closedAs(Outcome.ABANDONED, now);
        assertThat(abandoned.closed()).isTrue();
        assertThat(abandoned.closedAt()).isEqualTo(now);
        assertThat(abandoned.outcome()).isEqualTo(Outcome.ABANDONED);
        assertThat(abandoned.enqueuedAt()).isEqualTo(closed.enqueuedAt());
    }

    @Test
    void aStandardSessionIsServedAsPremiumOnceItHasWaitedTheAgingTime() {
        SessionRecord standard = session().withPriority(Priority.STANDARD);
        Instant enqueued = standard.enqueuedAt();
        Duration aging = Duration.ofSeconds(30);
        assertThat(standard.servedAsPremium(enqueued.plusSeconds(29), aging)).isFalse();
        assertThat(standard.servedAsPremium(enqueued.plus(aging), aging)).isTrue();
        assertThat(session().servedAsPremium(enqueued, aging)).isTrue();
        // a-1 is preferred until 12:00:05.
        assertThat(session().waitsForPreferred(Instant.parse("2026-12-01T12:00:04Z")))
                .isTrue();
        assertThat(session().waitsForPreferred(Instant.parse("2026-12-01T12:00:05Z")))
                .isFalse();
        assertThat(session().withPreference(null, null).waitsForPreferred(enqueued))
                .isFalse();
    }
}
