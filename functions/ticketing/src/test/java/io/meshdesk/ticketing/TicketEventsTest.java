package io.meshdesk.ticketing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.meshdesk.identity.testing.TestTokens;
import io.meshdesk.ticketing.sla.SlaMonitor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What arrives from other functions (binary and structured CloudEvents, redelivered too),
 * transcripts, the SLA check on a moved clock, and the metrics.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@Timeout(60)
class TicketEventsTest {

    @Inject
    SlaMonitor sla;

    static Map<String, Object> session(String id, String outcome) {
        return Map.of(
                "sessionId",
                id,
                "customerId",
                "cust-" + id,
                "channel",
                "app",
                "priority",
                "premium",
                "agentId",
                "agent-1",
                "state",
                "closed",
                "outcome",
                outcome);
    }

    static void binary(String id, String type, Object data) {
        Api.event(id, type).body(data).post("/").then().statusCode(org.hamcrest.Matchers.oneOf(200, 204));
    }

    static long ticketsOf(String customer) {
        return Long.parseLong(Api.ok(Api.call("ticket-search", Map.of("customerId", customer)))
                .get("total")
                .toString());
    }

    @Test
    void anUnresolvedSessionBecomesOneTicketEvenWhenTheEventComesTwice() {
        binary("s-10@17", "meshdesk.session.closed", session("s-10", "unresolved"));
        binary("s-10@17", "meshdesk.session.closed", session("s-10", "unresolved"));
        assertThat(ticketsOf("cust-s-10")).isEqualTo(1);
        Map<String, Object> ticket = Api.list(
                        Api.ok(Api.call("ticket-search", Map.of("customerId", "cust-s-10"))), "tickets")
                .get(0);
        assertThat(ticket)
                .containsEntry("sessionId", "s-10")
                .containsEntry("priority", "high")
                .containsEntry("channel", "app");
    }

    @Test
    void aResolvedSessionMakesNoTicket() {
        binary("s-11@3", "meshdesk.session.closed", session("s-11", "resolved"));
        assertThat(ticketsOf("cust-s-11")).isZero();
    }

    @Test
    void aStructuredCloudEventWorksToo() {
        Map<String, Object> event = Map.of(
                "specversion",
                "1.0",
                "id",
                "s-12@9",
                "source",
                "/routing",
                "type",
                "meshdesk.session.closed",
                "datacontenttype",
                "application/json",
                "data",
                session("s-12", "unresolved"));
        for (int i = 0; i < 2; i++) {
            given().contentType("application/cloudevents+json")
                    .header("Authorization", TestTokens.bearer(TestTokens.service("routing", "ticketing")))
                    .body(event)
                    .post("/")
                    .then()
                    .statusCode(org.hamcrest.Matchers.oneOf(200, 204));
        }
        assertThat(ticketsOf("cust-s-12")).isEqualTo(1);
    }

    @Test
    void aTranscriptIsArchivedWithTheSessionsTicket() throws Exception {
        binary("s-13@5", "meshdesk.session.closed", session("s-13", "unresolved"));
        Map<String, Object> transcript = Map.of(
                "sessionId",
                "s-13",
                "region",
                "cn-north",
                "lines",
                List.of(Map.of("seq", 1, "senderId", "cust-s-13", "kind", "text", "text", "hello")));
        binary("s-13@transcript", "meshdesk.transcript.ready", transcript);
        binary("s-13@transcript", "meshdesk.transcript.ready", transcript);
        try (Connection c =
                        PostgresTestResource.postgres().getPostgresDatabase().getConnection();
                ResultSet r = c.createStatement()
                        .executeQuery("select t.ticket_id, t.body->'lines'->0->>'text', "
                                + "k.session_id from transcript t left join ticket k on k.id = t.ticket_id "
                                + "where t.session_id = 's-13'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getObject(1)).isNotNull();
            assertThat(r.getString(2)).isEqualTo("hello");
            assertThat(r.getString(3)).isEqualTo("s-13");
            assertThat(r.next()).isFalse();
        }
    }

    @Test
    void anEventHandlerCalledWithoutACloudEventSaysHowToCallIt() {
        Api.call("session-closed", session("s-14", "unresolved"))
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("send it as one"));
    }

    @Test
    void theSlaCheckMarksEachBreachOnceAndCountsIt() {
        Map<String, Object> t = Api.create("cust-sla", "vip", "urgent");
        Instant created = Instant.parse((String) t.get("createdAt"));
        assertThat(sla.check(created.plus(Duration.ofMinutes(10))))
                .noneMatch(b -> b.ticket().ticketId().toString().equals(t.get("ticketId")));
        var breaches = sla.check(created.plus(Duration.ofMinutes(20)));
        assertThat(breaches)
                .filteredOn(b -> b.ticket().ticketId().toString().equals(t.get("ticketId")))
                .extracting(SlaMonitor.Breach::kind)
                .containsExactly("first_response");
        assertThat(sla.check(created.plus(Duration.ofHours(5))))
                .filteredOn(b -> b.ticket().ticketId().toString().equals(t.get("ticketId")))
                .extracting(SlaMonitor.Breach::kind)
                .containsExactly("resolution");
        assertThat(sla.check(created.plus(Duration.ofHours(6))))
                .noneMatch(b -> b.ticket().ticketId().toString().equals(t.get("ticketId")));
        Map<String, Object> read = Api.ok(Api.call("ticket-get", Map.of("ticketId", t.get("ticketId"))));
        assertThat(Api.sla(read))
                .containsEntry("firstResponseBreached", true)
                .containsEntry("resolutionBreached", true);
        assertThat(Api.ok(Api.call("ticket-search", Map.of("customerId", "cust-sla", "slaBreached", true))))
                .containsEntry("total", 1);
        Api.ok(Api.call("backlog", Map.of()));
        String metrics =
                given().accept("text/plain").get("/q/metrics").then().extract().asString();
        assertThat(metrics)
                .contains(
                        "meshdesk_tickets_sla_breached_total{kind=\"first_response\",priority=\"urgent\",queue=\"vip\",}")
                .contains("meshdesk_ticket_backlog{priority=\"urgent\",queue=\"vip\",}");
    }

    @Test
    void resolutionAndSatisfactionAreMeasured() {
        Map<String, Object> t = Api.move(Api.move(Api.create("cust-m", "returns", "normal"), "open"), "resolved");
        Api.ok(Api.call("ticket-rate", Map.of("ticketId", t.get("ticketId"), "score", 3)));
        String metrics =
                given().accept("text/plain").get("/q/metrics").then().extract().asString();
        assertThat(metrics)
                .contains("meshdesk_ticket_resolution_seconds_bucket{priority=\"normal\",queue=\"returns\"")
                .contains("meshdesk_csat_score_count{channel=\"web\",queue=\"returns\",} 1.0");
    }

    @Test
    void ticketGetReturnsTheArchivedTranscriptOfTheSessionTheTicketCameFrom() {
        binary("s-15@5", "meshdesk.session.closed", session("s-15", "unresolved"));
        Map<String, Object> ticket = Api.list(
                        Api.ok(Api.call("ticket-search", Map.of("customerId", "cust-s-15"))), "tickets")
                .get(0);
        Map<String, Object> before = Api.ok(Api.call("ticket-get", Map.of("ticketId", ticket.get("ticketId"))));
        assertThat(before).doesNotContainKey("transcript").containsEntry("sessionId", "s-15");
        binary(
                "s-15@transcript",
                "meshdesk.transcript.ready",
                Map.of(
                        "sessionId",
                        "s-15",
                        "channel",
                        "app",
                        "customerId",
                        "cust-s-15",
                        "lines",
                        List.of(
                                Map.of("seq", 1, "senderId", "cust-s-15", "kind", "text", "text", "where is my order?"),
                                Map.of("seq", 2, "senderId", "agent-1", "kind", "text", "text", "checking now"))));
        Api.as(TestTokens.agent(Api.AGENT))
                .body(Map.of("ticketId", ticket.get("ticketId")))
                .post("/ticket-get")
                .then()
                .statusCode(200)
                .body("sessionId", org.hamcrest.Matchers.equalTo("s-15"))
                .body("status", org.hamcrest.Matchers.equalTo("new"))
                .body("transcript.lines.text", org.hamcrest.Matchers.contains("where is my order?", "checking now"));
    }

    @Test
    void aCustomerRatesAChatOnceAfterItEndsAndTheScoreCountsWithItsChannel() {
        rate("cust-s-16", Map.of("sessionId", "s-16", "score", 5))
                .then()
                .statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("not been archived yet"));
        binary(
                "s-16@transcript",
                "meshdesk.transcript.ready",
                Map.of(
                        "sessionId",
                        "s-16",
                        "channel",
                        "miniprogram",
                        "customerId",
                        "cust-s-16",
                        "outcome",
                        "resolved",
                        "lines",
                        List.of()));
        rate("cust-s-16", Map.of("sessionId", "s-16", "score", 9))
                .then()
                .statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("score"));
        rate("someone-else", Map.of("sessionId", "s-16", "score", 1))
                .then()
                .statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("only the customer of session s-16"));
        assertThat(Api.ok(rate("cust-s-16", Map.of("sessionId", "s-16", "score", 4, "comment", "quick"))))
                .containsEntry("channel", "miniprogram")
                .containsEntry("score", 4);
        rate("cust-s-16", Map.of("sessionId", "s-16", "score", 1))
                .then()
                .statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("rated already"));
        String metrics =
                given().accept("text/plain").get("/q/metrics").then().extract().asString();
        assertThat(metrics)
                .contains("meshdesk_csat_score_count{channel=\"miniprogram\",queue=\"chat\",} 1.0")
                .contains("meshdesk_csat_score_sum{channel=\"miniprogram\",queue=\"chat\",} 4.0");
    }

    private static io.restassured.response.Response rate(String customer, Map<String, Object> body) {
        return Api.as(TestTokens.customer(customer)).body(body).post("/session-rate");
    }
}
