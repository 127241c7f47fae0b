package io.meshdesk.ticketing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.meshdesk.identity.Group;
import io.meshdesk.identity.dev.TokenSpec;
import io.meshdesk.identity.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Who may call what in ticketing, function by function and for the two event handlers: no
 * token, a forged, expired, unsigned or other issuer's one, another participant's, the wrong
 * group, and the right one. Every refusal leaves PostgreSQL as it was.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@Timeout(60)
class TicketAuthTest {

    static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    static final String CUSTOMER = "ta-" + RUN;
    static final String ATTACKER = "ta-attacker-" + RUN;
    static Map<String, Object> open;
    static Map<String, Object> resolved;

    static synchronized void fixture() {
        if (open == null) {
            open = Api.create(CUSTOMER, "support", "normal");
            resolved = Api.move(Api.move(Api.create(CUSTOMER, "support", "low"), "open"), "resolved");
        }
    }

    /** Everything a refused call could have changed, as one comparable string. */
    static String database() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c =
                PostgresTestResource.postgres().getPostgresDatabase().getConnection()) {
            for (String q : List.of(
                    "select count(*), max(updated_at), sum(version) from ticket",
                    "select count(*), max(id) from ticket_history",
                    "select count(*), max(id) from ticket_comment",
                    "select count(*), max(received_at) from transcript",
                    "select count(*) from processed_event")) {
                try (ResultSet r = c.createStatement().executeQuery(q)) {
                    r.next();
                    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                        all.append(r.getObject(i)).append(' ');
                    }
                }
            }
        }
        return all.toString();
    }

    record Call(String function, Supplier<Object> body, TokenSpec rightOne, boolean event) {
        RequestSpecification request(String token) {
            return event
                    ? Api.event(token, function + "-" + UUID.randomUUID(), "meshdesk." + function.replace('-', '.'))
                    : token == null ? given().contentType("application/json") : Api.as(token);
        }

        io.restassured.response.Response send(String token) {
            return request(token).body(body.get()).post(event ? "/" : "/" + function);
        }
    }

    static List<Call> calls() {
        TokenSpec agent = TokenSpec.of(Api.AGENT, Group.AGENT);
        TokenSpec customer = TokenSpec.of(CUSTOMER, Group.CUSTOMER);
        TokenSpec sender = TokenSpec.of("routing", Group.SERVICE).withAudience("ticketing");
        return List.of(
                new Call("ticket-create", () -> Api.ticket(CUSTOMER, "q", "low"), customer, false),
                new Call("ticket-get", () -> Map.of("ticketId", open.get("ticketId")), customer, false),
                new Call(
                        "ticket-update",
                        () -> Map.of(
                                "ticketId", open.get("ticketId"), "version", open.get("version"), "status", "open"),
                        agent,
                        false),
                new Call(
                        "ticket-comment",
                        () -> Map.of(
                                "ticketId",
                                open.get("ticketId"),
                                "author",
                                CUSTOMER,
                                "authorRole",
                                "customer",
                                "body",
                                "any news?"),
                        customer,
                        false),
                new Call("ticket-search", () -> Map.of("customerId", CUSTOMER), customer, false),
                new Call(
                        "ticket-rate", () -> Map.of("ticketId", resolved.get("ticketId"), "score", 4), customer, false),
                new Call("backlog", Map::of, TokenSpec.of("ops-1", Group.OPS), false),
                new Call(
                        "session-closed",
                        () -> Map.of(
                                "sessionId",
                                "ta-s-" + RUN,
                                "customerId",
                                "ta-closed-" + RUN,
                                "state",
                                "closed",
                                "channel",
                                "web",
                                "priority",
                                "premium",
                                "outcome",
                                "unresolved"),
                        sender,
                        true),
                new Call(
                        "transcript-ready",
                        () -> Map.of("sessionId", "ta-s-" + RUN, "lines", List.of()),
                        sender,
                        true));
    }

    static Call call(String function) {
        return calls().stream()
                .filter(c -> c.function().equals(function))
                .findFirst()
                .orElseThrow();
    }

    static Stream<Arguments> unverifiable() {
        List<Arguments> rows = new ArrayList<>();
        for (Call c : calls()) {
            rows.add(Arguments.of(c.function(), "no token", (Supplier<String>) () -> null));
            rows.add(Arguments.of(c.function(), "forged", (Supplier<String>) () -> TestTokens.forged(c.rightOne())));
            rows.add(Arguments.of(c.function(), "expired", (Supplier<String>) () -> TestTokens.expired(c.rightOne())));
            rows.add(
                    Arguments.of(c.function(), "alg=none", (Supplier<String>) () -> TestTokens.unsigned(c.rightOne())));
            rows.add(Arguments.of(
                    c.function(), "another issuer", (Supplier<String>) () -> TestTokens.otherIssuer(c.rightOne())));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}, {1} -> 401")
    @MethodSource("unverifiable")
    void aTokenThatDoesNotVerifyIs401AndChangesNothing(String function, String what, Supplier<String> token)
            throws Exception {
        fixture();
        String before = database();
        call(function).send(token.get()).then().statusCode(401).contentType("application/problem+json");
        assertThat(database()).isEqualTo(before);
    }

    static Stream<Arguments> notAllowed() {
        return Stream.of(
                row(
                        "ticket-create",
                        "a customer for another",
                        TestTokens.customer(ATTACKER),
                        "opens tickets only for itself"),
                row("ticket-create", "ops", TestTokens.ops(), "needs a token of group"),
                row("ticket-get", "another customer", TestTokens.customer(ATTACKER), "is not " + ATTACKER + "'s"),
                row("ticket-get", "another tenant's agent", TestTokens.agent("a-9", "acme"), "not in tenant acme"),
                row("ticket-update", "the customer", TestTokens.customer(CUSTOMER), "needs a token of group"),
                row("ticket-update", "another tenant's agent", TestTokens.agent("a-9", "acme"), "not in tenant acme"),
                row("ticket-comment", "another customer", TestTokens.customer(ATTACKER), "the body cannot name"),
                row("ticket-comment", "an agent posing as the customer", TestTokens.agent(CUSTOMER), "writes as agent"),
                row("ticket-search", "another customer", TestTokens.customer(ATTACKER), "only its own tickets"),
                row("ticket-rate", "another customer", TestTokens.customer(ATTACKER), "only the ticket's customer"),
                row("ticket-rate", "the agent", TestTokens.agent(Api.AGENT), "needs a token of group customer"),
                row("backlog", "a customer", TestTokens.customer(CUSTOMER), "needs a token of group"),
                row(
                        "session-closed",
                        "a customer",
                        TestTokens.sign(TokenSpec.of(ATTACKER, Group.CUSTOMER).withAudience("ticketing")),
                        "needs a token of group service"),
                row(
                        "transcript-ready",
                        "an agent",
                        TestTokens.sign(TokenSpec.of(Api.AGENT, Group.AGENT).withAudience("ticketing")),
                        "needs a token of group service"));
    }

    private static Arguments row(String function, String who, String token, String detail) {
        return Arguments.of(function, who, token, detail);
    }

    @ParameterizedTest(name = "{0} by {1} -> 403")
    @MethodSource("notAllowed")
    void aCallerTheRuleDoesNotAllowIs403AndChangesNothing(String function, String who, String token, String detail)
            throws Exception {
        fixture();
        String before = database();
        call(function)
                .send(token)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString(detail));
        assertThat(database()).isEqualTo(before);
    }

    static Stream<Arguments> rightOnes() {
        return calls().stream().map(c -> Arguments.of(c.function()));
    }

    @ParameterizedTest(name = "{0} by its caller -> 2xx")
    @MethodSource("rightOnes")
    void theRightCallerIsServed(String function) {
        fixture();
        Call c = call(function);
        c.send(TestTokens.sign(c.rightOne())).then().statusCode(org.hamcrest.Matchers.oneOf(200, 204));
    }

    @Test
    void forgedEvent_anUnauthenticatedOrForgedSessionClosedCreatesNoTicketAndATranscriptIsNotOverwritten()
            throws Exception {
        fixture();
        String session = "forged-" + RUN;
        Map<String, Object> closed = Map.of(
                "sessionId",
                session,
                "customerId",
                ATTACKER,
                "channel",
                "web",
                "priority",
                "premium",
                "outcome",
                "unresolved");
        Api.event("real-" + session, "meshdesk.transcript.ready")
                .body(Map.of("sessionId", session, "lines", List.of(Map.of("seq", 1, "text", "the real one"))))
                .post("/")
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 204));
        String before = database();
        Api.event(null, "f1", "meshdesk.session.closed")
                .body(closed)
                .post("/")
                .then()
                .statusCode(401);
        Api.event(
                        TestTokens.forged(TokenSpec.of("routing", Group.SERVICE).withAudience("ticketing")),
                        "f2",
                        "meshdesk.transcript.ready")
                .body(Map.of("sessionId", session, "lines", List.of(Map.of("seq", 1, "text", "forged"))))
                .post("/")
                .then()
                .statusCode(401);
        // A genuine token minted for another function cannot be replayed here.
        Api.event(TestTokens.service("routing", "chat"), "f3", "meshdesk.session.closed")
                .body(closed)
                .post("/")
                .then()
                .statusCode(401)
                .body("detail", containsString("audience 'ticketing'"));
        assertThat(database()).isEqualTo(before);
        assertThat(Api.ok(Api.as(TestTokens.ops())
                        .body(Map.of("customerId", ATTACKER))
                        .post("/ticket-search")))
                .containsEntry("total", 0);
    }

    @Test
    void agentImpersonation_theHistoryRecordsTheTokensSubjectNotANamedActor() {
        fixture();
        Map<String, Object> t = Api.create(CUSTOMER, "support", "normal");
        Api.as(TestTokens.agent("a-2"))
                .body(Map.of(
                        "ticketId",
                        t.get("ticketId"),
                        "version",
                        t.get("version"),
                        "status",
                        "open",
                        "actor",
                        "a-boss"))
                .post("/ticket-update")
                .then()
                .statusCode(403);
        Api.as(TestTokens.agent("a-2"))
                .body(Map.of("ticketId", t.get("ticketId"), "version", t.get("version"), "status", "open"))
                .post("/ticket-update")
                .then()
                .statusCode(200);
        Map<String, Object> read = Api.ok(Api.as(TestTokens.customer(CUSTOMER))
                .body(Map.of("ticketId", t.get("ticketId")))
                .post("/ticket-get"));
        assertThat(Api.list(read, "history")).extracting(h -> h.get("actor")).containsExactly(Api.AGENT, "a-2");
    }

    @Test
    void aCustomerSeesOnlyItsOwnTicketsAndAnAgentOnlyItsTenants() {
        fixture();
        String acme = "acme-cust-" + RUN;
        Map<String, Object> other = Api.ok(Api.as(TestTokens.agent("acme-agent", "acme"))
                .body(Api.ticket(acme, "q", "low"))
                .post("/ticket-create"));
        Api.as(TestTokens.customer(CUSTOMER))
                .body(Map.of())
                .post("/ticket-search")
                .then()
                .statusCode(200)
                .body("tickets.customerId", org.hamcrest.Matchers.everyItem(equalTo(CUSTOMER)));
        Api.as(TestTokens.agent(Api.AGENT))
                .body(Map.of("customerId", acme))
                .post("/ticket-search")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
        Api.as(TestTokens.agent("acme-agent-2", "acme"))
                .body(Map.of("customerId", acme))
                .post("/ticket-search")
                .then()
                .statusCode(200)
                .body("total", equalTo(1));
        Api.as(TestTokens.agent(Api.AGENT))
                .body(Map.of("ticketId", other.get("ticketId")))
                .post("/ticket-get")
                .then()
                .statusCode(403);
        Api.as(TestTokens.customer(acme))
                .body(Map.of("ticketId", other.get("ticketId")))
                .post("/ticket-get")
                .then()
                .statusCode(200);
    }

    @Test
    void aCustomerReadingItsTicketDoesNotSeeTheDesksInternalNotes() {
        Map<String, Object> t = Api.create(CUSTOMER, "support", "normal");
        Api.agentComment(t.get("ticketId"), "customer seems upset", true);
        Api.agentComment(t.get("ticketId"), "we are on it", false);
        Map<String, Object> seen = Api.ok(Api.as(TestTokens.customer(CUSTOMER))
                .body(Map.of("ticketId", t.get("ticketId")))
                .post("/ticket-get"));
        assertThat(Api.list(seen, "comments")).extracting(c -> c.get("body")).containsExactly("we are on it");
        assertThat(Api.list(Api.ok(Api.call("ticket-get", Map.of("ticketId", t.get("ticketId")))), "comments"))
                .hasSize(2);
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        given().get("/q/health/ready").then().statusCode(200);
        given().accept("text/plain").get("/q/metrics").then().statusCode(200);
    }
}
