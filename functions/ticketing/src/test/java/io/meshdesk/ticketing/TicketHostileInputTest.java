package io.meshdesk.ticketing;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.meshdesk.identity.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Regressions of issue 15 for ticketing: input that PostgreSQL refused (a NUL character, an id
 * too large for an index row) was a 500, and lenient typing stored what a 400 was promised for.
 * Each is now a 4xx problem naming the field, and no row is written.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@Timeout(60)
class TicketHostileInputTest {

    record Case(
            String defect, Supplier<RequestSpecification> request, String path, int status, String field, String says) {
        @Override
        public String toString() {
            return defect;
        }
    }

    /** A call by an agent, with the body as bytes (RestAssured inspects a String body it is told is JSON). */
    static RequestSpecification json(String body) {
        return as(TestTokens.agent(Api.AGENT), body);
    }

    /** Events come from other functions: a service token for ticketing's audience. */
    static RequestSpecification event(String type, String id, String body) {
        return as(TestTokens.service("routing", "ticketing"), body)
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-source", "/test")
                .header("ce-type", type);
    }

    private static RequestSpecification as(String token, String body) {
        return given().contentType("application/json")
                .header("Authorization", TestTokens.bearer(token))
                .body(body.getBytes(StandardCharsets.UTF_8));
    }

    static final String TICKET = "\"customerId\":\"c-h\",\"subject\":\"s\",\"description\":\"d\",\"queue\":\"q\","
            + "\"priority\":\"normal\",\"channel\":\"web\"";

    static Stream<Case> cases() {
        String megabyteId = "s".repeat(1_000_000);
        return Stream.of(
                new Case(
                        "aNulCharacterInASubjectIsRefusedNotA500",
                        () -> json("{" + TICKET.replace("\"s\"", "\"a\\u0000b\"") + "}"),
                        "/ticket-create",
                        400,
                        "subject",
                        "NUL"),
                new Case(
                        "aNulCharacterInAnEventIsRefusedNotA500",
                        () -> event(
                                "meshdesk.session.closed",
                                "nul-1",
                                "{\"sessionId\":\"x\\u0000\",\"outcome\":\"unresolved\",\"customerId\":\"c\"}"),
                        "/",
                        400,
                        "sessionId",
                        "NUL"),
                new Case(
                        "aMegabyteSessionIdInATranscriptIsRefusedNotA500",
                        () -> event(
                                "meshdesk.transcript.ready",
                                "big-1",
                                "{\"sessionId\":\"" + megabyteId + "\",\"messages\":[]}"),
                        "/",
                        400,
                        "sessionId",
                        "at most 128"),
                new Case(
                        "aHugeEventIdIsRefusedNotStored",
                        () -> event(
                                "meshdesk.transcript.ready",
                                "e".repeat(5_000),
                                "{\"sessionId\":\"s-1\",\"messages\":[]}"),
                        "/",
                        400,
                        "ce-id",
                        "at most 256"),
                new Case(
                        "internalTwoIsNotTrue",
                        () -> json("{\"ticketId\":\"00000000-0000-0000-0000-000000000001\","
                                + "\"author\":\"a\",\"authorRole\":\"agent\",\"body\":\"b\",\"internal\":2}"),
                        "/ticket-comment",
                        400,
                        "internal",
                        "true or false"),
                new Case(
                        "aNumberIsNotAPriority",
                        () -> json("{" + TICKET.replace("\"normal\"", "1") + "}"),
                        "/ticket-create",
                        400,
                        "priority",
                        "priority"),
                new Case(
                        "aBooleanIsNotACustomerId",
                        () -> json("{" + TICKET.replace("\"c-h\"", "true") + "}"),
                        "/ticket-create",
                        400,
                        "customerId",
                        "must be a string"),
                new Case(
                        "anActorOverTheLimitIsRefused",
                        () -> json("{\"ticketId\":"
                                + "\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"status\":\"open\",\"actor\":\""
                                + "a".repeat(129) + "\"}"),
                        "/ticket-update",
                        400,
                        "actor",
                        "at most 128"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsAProblemNamingTheFieldAndWritesNothing(Case c) throws Exception {
        long before = rows();
        var response = c.request().get().post(c.path());
        response.then()
                .statusCode(c.status())
                .contentType("application/problem+json")
                .body("status", equalTo(c.status()))
                .body("detail", containsString(c.says()))
                .body("field", equalTo(c.field()));
        assertThat(rows()).as("rows after a refused request").isEqualTo(before);
    }

    @Test
    void aTwelveMegabyteBodyIsTooLargeNotAnError() {
        json("{\"sessionId\":\"" + "x".repeat(12 * 1024 * 1024) + "\"}")
                .post("/ticket-get")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("8M"));
    }

    /** Every row of every table ticketing writes. */
    private static long rows() throws SQLException {
        try (Connection c =
                        PostgresTestResource.postgres().getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select (select count(*) from ticket) + (select count(*) from "
                        + "ticket_history) + (select count(*) from ticket_comment) + (select count(*) from transcript)"
                        + " + (select count(*) from processed_event)")) {
            r.next();
            return r.getLong(1);
        }
    }
}
