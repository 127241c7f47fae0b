package io.meshdesk.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.meshdesk.etcd.testing.EtcdTestResource;
import io.meshdesk.identity.Group;
import io.meshdesk.identity.dev.TokenSpec;
import io.meshdesk.identity.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.auth.principal.JWTParser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Who may call what, function by function: no token, a forged one, an expired one, an unsigned
 * one, another issuer's, another participant's, the wrong group, and the right one. Every
 * refusal leaves etcd as it was. The attacks of issue 14 have a test each, named after them.
 */
@QuarkusTest
@TestProfile(RoutingContractTest.LongLeases.class)
@QuarkusTestResource(EtcdTestResource.class)
@QuarkusTestResource(EventCapture.class)
@Timeout(60)
class RoutingAuthTest {

    static final String LANG = "au-" + UUID.randomUUID().toString().substring(0, 6);
    static final String AGENT = LANG + "-agent";
    static final String OTHER_AGENT = LANG + "-other";
    static final String CUSTOMER = LANG + "-cust";
    static final String SESSION = LANG + "-s";
    static final String TO_CLOSE = LANG + "-close";
    static Client etcd;
    static boolean ready;

    @BeforeAll
    static void connect() {
        etcd = Client.builder()
                .endpoints(EtcdTestResource.cluster().endpoints().toArray(String[]::new))
                .build();
    }

    @AfterAll
    static void disconnect() {
        etcd.close();
    }

    /** One agent with two sessions of one customer; another agent elsewhere. Made once, through the API. */
    static synchronized void fixture() {
        if (ready) {
            return;
        }
        Api.register(AGENT, LANG, 100);
        Api.register(OTHER_AGENT, LANG + "-x", 100);
        for (String s : List.of(SESSION, TO_CLOSE)) {
            Api.ok(Api.as(TestTokens.customer(CUSTOMER))
                    .body(Map.of("sessionId", s, "channel", "web", "language", LANG))
                    .post("/session-route"));
        }
        ready = true;
    }

    static Map<String, String> everything() throws Exception {
        Map<String, String> all = new TreeMap<>();
        etcd.getKVClient()
                .get(
                        ByteSequence.from("/meshdesk/".getBytes()),
                        GetOption.builder().isPrefix(true).build())
                .get(5, TimeUnit.SECONDS)
                .getKvs()
                .forEach(kv -> all.put(kv.getKey().toString(), kv.getValue().toString()));
        return all;
    }

    record Call(String function, Map<String, Object> body, TokenSpec rightOne) {}

    static List<Call> calls() {
        return List.of(
                new Call(
                        "agent-register",
                        Map.of("agentId", AGENT, "languages", List.of(LANG), "capacity", 100),
                        TokenSpec.of(AGENT, Group.AGENT)),
                new Call("agent-heartbeat", Map.of("agentId", AGENT), TokenSpec.of(AGENT, Group.AGENT)),
                new Call(
                        "agent-status",
                        Map.of("agentId", AGENT, "status", "available"),
                        TokenSpec.of(AGENT, Group.AGENT)),
                new Call(
                        "session-route",
                        Map.of("sessionId", SESSION, "channel", "web", "language", LANG),
                        TokenSpec.of(CUSTOMER, Group.CUSTOMER)),
                new Call("session-get", Map.of("sessionId", SESSION), TokenSpec.of(CUSTOMER, Group.CUSTOMER)),
                new Call("session-token", Map.of("sessionId", SESSION), TokenSpec.of(AGENT, Group.AGENT)),
                new Call(
                        "session-close",
                        Map.of("sessionId", TO_CLOSE, "outcome", "resolved"),
                        TokenSpec.of(CUSTOMER, Group.CUSTOMER)),
                new Call("queue-status", Map.of(), TokenSpec.of(AGENT, Group.AGENT)),
                new Call("routing-audit", Map.of(), TokenSpec.of("ops-1", Group.OPS)));
    }

    /** A token that does not verify: 401, whatever the function. */
    static Stream<Arguments> unverifiable() {
        List<Arguments> rows = new ArrayList<>();
        for (Call c : calls()) {
            rows.add(Arguments.of(c.function(), "no token", (Supplier<String>) () -> null, "no Authorization header"));
            rows.add(Arguments.of(
                    c.function(),
                    "forged",
                    (Supplier<String>) () -> TestTokens.forged(c.rightOne()),
                    "signature does not verify"));
            rows.add(Arguments.of(
                    c.function(), "expired", (Supplier<String>) () -> TestTokens.expired(c.rightOne()), "expired"));
            rows.add(Arguments.of(
                    c.function(),
                    "alg=none",
                    (Supplier<String>) () -> TestTokens.unsigned(c.rightOne()),
                    "not signed with RS256 or ES256"));
            rows.add(Arguments.of(
                    c.function(),
                    "another issuer",
                    (Supplier<String>) () -> TestTokens.otherIssuer(c.rightOne()),
                    "not issued by"));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}, {1} -> 401")
    @MethodSource("unverifiable")
    void aTokenThatDoesNotVerifyIs401AndChangesNothing(
            String function, String what, Supplier<String> token, String detail) throws Exception {
        fixture();
        Call call = calls().stream()
                .filter(c -> c.function().equals(function))
                .findFirst()
                .orElseThrow();
        Map<String, String> before = everything();
        String jwt = token.get();
        var request = jwt == null ? given().contentType("application/json") : Api.as(jwt);
        var response = request.body(call.body()).post("/" + function);
        response.then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("detail", containsString(detail));
        if (jwt != null) {
            String[] parts = jwt.split("\\.");
            assertThat(response.asString())
                    .as("the refusal never echoes the token")
                    .doesNotContain(parts[0])
                    .doesNotContain(parts[1]);
        }
        assertThat(everything()).isEqualTo(before);
    }

    /** A verified caller that the rule does not allow: 403 naming the rule (409 for someone else's session). */
    static Stream<Arguments> notAllowed() {
        return Stream.of(
                row("agent-register", "another agent", TestTokens.agent(OTHER_AGENT), 403, "acts only as itself"),
                row("agent-register", "a customer", TestTokens.customer(AGENT), 403, "group agent or supervisor"),
                row(
                        "agent-register",
                        "another tenant's supervisor",
                        TestTokens.supervisor("sup", "elsewhere"),
                        403,
                        "agents of its own tenant"),
                row("agent-heartbeat", "another agent", TestTokens.agent(OTHER_AGENT), 403, "acts only as itself"),
                row("agent-heartbeat", "ops", TestTokens.ops(), 403, "group agent or supervisor"),
                row("agent-status", "another agent", TestTokens.agent(OTHER_AGENT), 403, "acts only as itself"),
                row(
                        "agent-status",
                        "a service",
                        TestTokens.service("chat", "routing"),
                        403,
                        "group agent or supervisor"),
                row(
                        "session-route",
                        "another customer",
                        TestTokens.customer(LANG + "-attacker"),
                        409,
                        "already exists and is not yours"),
                row("session-route", "an agent", TestTokens.agent(AGENT), 403, "group customer"),
                row(
                        "session-get",
                        "another customer",
                        TestTokens.customer(LANG + "-attacker"),
                        403,
                        "session's customer, its agent"),
                row(
                        "session-get",
                        "another agent",
                        TestTokens.agent(OTHER_AGENT),
                        403,
                        "session's customer, its agent"),
                row(
                        "session-token",
                        "another agent",
                        TestTokens.agent(OTHER_AGENT),
                        403,
                        "only the session's customer and the agent"),
                row("session-token", "ops", TestTokens.ops(), 403, "group customer or agent"),
                row(
                        "session-close",
                        "another customer",
                        TestTokens.customer(LANG + "-attacker"),
                        403,
                        "session's customer, its agent"),
                row("session-close", "ops", TestTokens.ops(), 403, "session's customer, its agent"),
                row(
                        "queue-status",
                        "a customer",
                        TestTokens.customer(CUSTOMER),
                        403,
                        "group agent or supervisor or ops"),
                row("routing-audit", "an agent", TestTokens.agent(AGENT), 403, "group ops"),
                row("routing-audit", "a supervisor", TestTokens.supervisor("sup", "default"), 403, "group ops"));
    }

    private static Arguments row(String function, String who, String token, int status, String detail) {
        return Arguments.of(function, who, token, status, detail);
    }

    @ParameterizedTest(name = "{0} by {1} -> {3}")
    @MethodSource("notAllowed")
    void aCallerTheRuleDoesNotAllowIsRefusedAndChangesNothing(
            String function, String who, String token, int status, String detail) throws Exception {
        fixture();
        Call call = calls().stream()
                .filter(c -> c.function().equals(function))
                .findFirst()
                .orElseThrow();
        Map<String, String> before = everything();
        Api.as(token)
                .body(call.body())
                .post("/" + function)
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("detail", containsString(detail))
                .body("$", not(hasKey("customerToken")));
        assertThat(everything()).isEqualTo(before);
    }

    static Stream<Arguments> rightOnes() {
        return calls().stream().map(c -> Arguments.of(c.function(), c.rightOne()));
    }

    @ParameterizedTest(name = "{0} by its caller -> 200")
    @MethodSource("rightOnes")
    void theRightCallerIsServed(String function, TokenSpec caller) {
        fixture();
        Call call = calls().stream()
                .filter(c -> c.function().equals(function))
                .findFirst()
                .orElseThrow();
        Api.as(TestTokens.sign(caller))
                .body(call.body())
                .post("/" + function)
                .then()
                .statusCode(200);
    }

    @Test
    void sessionHijack_anotherCustomerNamingAnExistingSessionGetsNoTokenAndChangesNothing() throws Exception {
        fixture();
        Map<String, String> before = everything();
        String attacker = LANG + "-attacker";
        Api.as(TestTokens.customer(attacker))
                .body(Map.of("sessionId", SESSION, "customerId", attacker, "channel", "web", "language", LANG))
                .post("/session-route")
                .then()
                .statusCode(409)
                .body("$", not(hasKey("customerToken")))
                .body("detail", not(containsString(AGENT)));
        Api.as(TestTokens.customer(attacker))
                .body(Map.of("sessionId", SESSION, "customerId", CUSTOMER, "channel", "web", "language", LANG))
                .post("/session-route")
                .then()
                .statusCode(403)
                .body("detail", containsString("routes only its own"));
        Api.as(TestTokens.customer(attacker))
                .body(Map.of("sessionId", SESSION))
                .post("/session-token")
                .then()
                .statusCode(403);
        assertThat(everything()).isEqualTo(before);
        // The session's own customer still gets its token back.
        Api.as(TestTokens.customer(CUSTOMER))
                .body(Map.of("sessionId", SESSION, "channel", "web", "language", LANG))
                .post("/session-route")
                .then()
                .statusCode(200)
                .body("customerToken", notNullValue());
    }

    @Test
    void agentImpersonation_anIdentityHeaderOrAnotherAgentsIdGetsNothing() throws Exception {
        fixture();
        Map<String, String> before = everything();
        String intruder = TestTokens.agent(OTHER_AGENT);
        Api.as(intruder)
                .body(Map.of("agentId", AGENT, "languages", List.of(LANG), "capacity", 0))
                .post("/agent-register")
                .then()
                .statusCode(403);
        Api.as(intruder)
                .body(Map.of("agentId", AGENT, "status", "offline"))
                .post("/agent-status")
                .then()
                .statusCode(403);
        Api.as(intruder)
                .header("x-participant-id", AGENT)
                .body(Map.of("sessionId", SESSION, "participantId", AGENT))
                .post("/session-token")
                .then()
                .statusCode(403)
                .body("detail", containsString("only its own token"));
        given().contentType("application/json")
                .header("x-participant-id", AGENT)
                .header("x-user-role", "agent")
                .body(Map.of("sessionId", SESSION, "participantId", AGENT))
                .post("/session-token")
                .then()
                .statusCode(401);
        Api.as(intruder)
                .body(Map.of("sessionId", SESSION, "outcome", "resolved"))
                .post("/session-close")
                .then()
                .statusCode(403);
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void staleAgent_thePreviousAgentOfAReassignedSessionGetsNoChatToken() {
        String lang = LANG + "-st";
        String first = lang + "-first";
        String second = lang + "-second";
        String session = lang + "-s";
        Api.register(first, lang, 100);
        Api.ok(Api.as(TestTokens.customer(CUSTOMER))
                .body(Map.of("sessionId", session, "channel", "web", "language", lang))
                .post("/session-route"));
        Api.as(TestTokens.agent(first))
                .body(Map.of("sessionId", session))
                .post("/session-token")
                .then()
                .statusCode(200);

        Api.status(first, "offline");
        Api.register(second, lang, 100);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> second.equals(Api.get(session).get("agentId")));
        Api.register(first, lang, 100);

        Api.as(TestTokens.agent(first))
                .body(Map.of("sessionId", session))
                .post("/session-token")
                .then()
                .statusCode(403)
                .body("detail", containsString(first + " is neither"));
        Api.as(TestTokens.agent(second))
                .body(Map.of("sessionId", session))
                .post("/session-token")
                .then()
                .statusCode(200);
    }

    @Test
    void aClosedSessionGivesNoChatTokens() {
        String lang = LANG + "-cl";
        Api.register(lang + "-a", lang, 100);
        Api.ok(Api.as(TestTokens.customer(CUSTOMER))
                .body(Map.of("sessionId", lang + "-s", "channel", "web", "language", lang))
                .post("/session-route"));
        Api.as(TestTokens.agent(lang + "-a"))
                .body(Map.of("sessionId", lang + "-s", "outcome", "resolved"))
                .post("/session-close")
                .then()
                .statusCode(200)
                .body("state", equalTo("closed"));
        Api.as(TestTokens.customer(CUSTOMER))
                .body(Map.of("sessionId", lang + "-s"))
                .post("/session-token")
                .then()
                .statusCode(409)
                .body("detail", containsString("is closed"));
    }

    @Test
    void aSupervisorActsForTheAgentsOfItsTenantOnly() {
        String lang = LANG + "-sv";
        String agent = lang + "-a";
        Api.ok(Api.as(TestTokens.agent(agent, "acme"))
                .body(Map.of("agentId", agent, "languages", List.of(lang)))
                .post("/agent-register"));
        Api.as(TestTokens.supervisor("boss", "globex"))
                .body(Map.of("agentId", agent, "status", "away"))
                .post("/agent-status")
                .then()
                .statusCode(403)
                .body("detail", containsString("tenant globex"));
        Api.as(TestTokens.supervisor("boss", "acme"))
                .body(Map.of("agentId", agent, "status", "away"))
                .post("/agent-status")
                .then()
                .statusCode(200)
                .body("status", equalTo("away"));
    }

    @Test
    void premiumComesFromTheVerifiedTierClaimAndEs256TokensWorkToo() {
        String token = TestTokens.sign(TokenSpec.of(LANG + "-vip", Group.CUSTOMER)
                .withTier("premium")
                .withAlgorithm(TokenSpec.Algorithm.ES256));
        Api.as(token)
                .body(Map.of("sessionId", LANG + "-vip-s", "channel", "web", "language", LANG + "-none"))
                .post("/session-route")
                .then()
                .statusCode(200)
                .body("priority", equalTo("premium"));
    }

    @Inject
    JWTParser jwt;

    @Test
    void routingsEventsCarryAServiceTokenForTicketing() throws Exception {
        String lang = LANG + "-ev";
        Api.register(lang + "-a", lang, 100);
        Api.ok(Api.as(TestTokens.customer(CUSTOMER))
                .body(Map.of("sessionId", lang + "-s", "channel", "web", "language", lang))
                .post("/session-route"));
        Api.close(lang + "-s", "unresolved");
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        !EventCapture.of("meshdesk.session.closed", lang + "-s").isEmpty());
        String header =
                EventCapture.of("meshdesk.session.closed", lang + "-s").get(0).authorization();
        assertThat(header).startsWith("Bearer ");
        var token = jwt.parse(header.substring(7));
        assertThat(token.getSubject()).isEqualTo("routing");
        assertThat(token.getGroups()).contains("service");
        assertThat(token.getAudience()).containsExactly("ticketing");
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        given().get("/q/health/ready").then().statusCode(200);
        given().accept("text/plain").get("/q/metrics").then().statusCode(200);
    }
}
