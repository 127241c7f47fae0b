package io.meshdesk.ticketing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.meshdesk.identity.testing.TestTokens;
import io.meshdesk.localservers.CloudEventReceiver;
import io.meshdesk.localservers.CloudEventSinkResource;
import io.meshdesk.ticketing.sla.SlaMonitor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

/**
 * What ticketing tells the rest of meshdesk: every ticket change arrives at {@code K_SINK} (a real
 * receiver on loopback) as a binary-mode CloudEvent with the documented type, source, subject and
 * an id naming the ticket and its version, the ticket as its JSON data, the caller's trace, and a
 * sender token the receiver can verify.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
// Not restricted to this class: every class of the module shares one app (their events come
// here too) instead of Quarkus restarting for the one class that reads them.
@QuarkusTestResource(CloudEventSinkResource.class)
@Timeout(60)
class TicketOutgoingEventsTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String SOURCE = "/meshdesk/ticketing";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SlaMonitor sla;

    @Inject
    JWTParser tokens;

    @Test
    void aTicketsLifeIsSentAsCreatedUpdatedAndResolvedEventsOneForEachChange() throws Exception {
        String trace = "7e1c0ffee0000000000000000000" + "beef";
        Map<String, Object> t = Api.ok(Api.as(TestTokens.agent(Api.AGENT))
                .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
                .body(Api.ticket("cust-out-1", "support", "normal"))
                .post("/ticket-create"));
        String id = (String) t.get("ticketId");
        Api.move(Api.move(t, "open"), "resolved");

        List<CloudEventReceiver.Received> events = awaitEvents(id, 4);
        assertThat(events)
                .extracting(CloudEventReceiver.Received::id, CloudEventReceiver.Received::type)
                .containsExactlyInAnyOrder(
                        tuple(id + "@1", "meshdesk.ticket.created"),
                        tuple(id + "@2", "meshdesk.ticket.updated"),
                        tuple(id + "@3", "meshdesk.ticket.updated"),
                        tuple(id + "@3-resolved", "meshdesk.ticket.resolved"));
        for (CloudEventReceiver.Received e : events) {
            assertThat(e.specversion()).as(e.id()).isEqualTo("1.0");
            assertThat(e.source()).as(e.id()).isEqualTo(SOURCE);
            assertThat(e.contentType()).as(e.id()).startsWith("application/json");
            assertThat(Instant.parse(e.time())).as(e.id()).isAfterOrEqualTo(Instant.parse((String) t.get("createdAt")));
            assertSentByTicketing(e);
        }

        JsonNode created = JSON.readTree(byId(events, id + "@1").body());
        assertThat(created.path("ticketId").asText()).isEqualTo(id);
        assertThat(created.path("customerId").asText()).isEqualTo("cust-out-1");
        assertThat(created.path("status").asText()).isEqualTo("new");
        assertThat(created.path("version").asInt()).isEqualTo(1);
        assertThat(byId(events, id + "@1").traceparent())
                .as("the event continues the trace of the call that created the ticket")
                .startsWith("00-" + trace + "-");

        JsonNode opened = JSON.readTree(byId(events, id + "@2").body());
        assertThat(opened.path("ticket").path("status").asText()).isEqualTo("open");
        assertThat(opened.path("ticket").path("version").asInt()).isEqualTo(2);
        assertThat(opened.path("changes")).hasSize(1);
        assertThat(opened.path("changes").get(0).path("field").asText()).isEqualTo("status");
        assertThat(opened.path("changes").get(0).path("from").asText()).isEqualTo("new");
        assertThat(opened.path("changes").get(0).path("to").asText()).isEqualTo("open");

        JsonNode resolved = JSON.readTree(byId(events, id + "@3-resolved").body());
        assertThat(resolved.path("status").asText()).isEqualTo("resolved");
        assertThat(resolved.path("sla").path("resolvedAt").isTextual()).isTrue();
    }

    @Test
    void aMissedFirstResponseIsSentOnceAsAnSlaBreachedEvent() throws Exception {
        Map<String, Object> t = Api.create("cust-out-2", "vip", "urgent");
        String id = (String) t.get("ticketId");
        Instant created = Instant.parse((String) t.get("createdAt"));
        sla.check(created.plus(Duration.ofMinutes(20)));
        sla.check(created.plus(Duration.ofMinutes(21)));

        List<CloudEventReceiver.Received> events = awaitEvents(id, 2);
        CloudEventReceiver.Received breach = byId(events, id + "@breach-first_response");
        assertThat(breach.type()).isEqualTo("meshdesk.ticket.sla-breached");
        assertThat(breach.subject()).isEqualTo(id);
        assertThat(breach.source()).isEqualTo(SOURCE);
        assertSentByTicketing(breach);
        JsonNode data = JSON.readTree(breach.body());
        assertThat(data.path("kind").asText()).isEqualTo("first_response");
        assertThat(data.path("ticket").path("sla").path("firstResponseBreached").asBoolean())
                .isTrue();
        assertThat(events)
                .extracting(CloudEventReceiver.Received::type)
                .as("the second check finds nothing new to report")
                .containsExactlyInAnyOrder("meshdesk.ticket.created", "meshdesk.ticket.sla-breached");
    }

    /** The receiver can tell the sender: a token of the test issuer, for ticketing, group service. */
    private void assertSentByTicketing(CloudEventReceiver.Received e) throws Exception {
        assertThat(e.authorization()).as(e.id()).startsWith("Bearer ");
        JsonWebToken token = tokens.parse(e.authorization().substring("Bearer ".length()));
        assertThat(token.getSubject()).as(e.id()).isEqualTo("ticketing");
        assertThat(token.getGroups()).as(e.id()).contains("service");
        assertThat(token.getAudience()).as(e.id()).isNotEmpty();
    }

    /** Waits for exactly {@code count} events about a ticket (its id is every event's subject). */
    private static List<CloudEventReceiver.Received> awaitEvents(String ticketId, int count) {
        await().atMost(TIMEOUT).until(() -> aboutTicket(ticketId).size() >= count);
        return aboutTicket(ticketId);
    }

    private static List<CloudEventReceiver.Received> aboutTicket(String ticketId) {
        return CloudEventSinkResource.receiver().received().stream()
                .filter(r -> ticketId.equals(r.subject()))
                .toList();
    }

    private static CloudEventReceiver.Received byId(List<CloudEventReceiver.Received> events, String id) {
        return events.stream()
                .filter(e -> id.equals(e.id()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no event " + id + " among " + events));
    }
}
