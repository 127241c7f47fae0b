package io.meshdesk.routing;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
import io.meshdesk.identity.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * What callers rely on: the etcd key contract, the error answers for bad input (and that bad
 * input changes nothing), CloudEvent calls in both modes, metrics and health.
 */
@QuarkusTest
@TestProfile(RoutingContractTest.LongLeases.class)
@QuarkusTestResource(EtcdTestResource.class)
@QuarkusTestResource(EventCapture.class)
@Timeout(60)
class RoutingContractTest {

    static Client etcd;

    /** Leases that outlast the class, so that "bad input changes nothing" compares a still etcd. */
    public static class LongLeases implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshdesk.routing.agent-lease-ttl", "120s");
        }
    }

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

    @Test
    void sessionsAndAgentsAreStoredUnderTheDocumentedKeys() throws Exception {
        String lang = "k-" + UUID.randomUUID().toString().substring(0, 6);
        Api.register(lang + "-agent", lang, 100);
        Api.route(lang + "-s", "web", lang);
        var kv = etcd.getKVClient()
                .get(ByteSequence.from(("/meshdesk/sessions/" + lang + "-s").getBytes()))
                .get(5, TimeUnit.SECONDS)
                .getKvs()
                .get(0);
        String json = kv.getValue().toString();
        for (String field :
                List.of("sessionId", "state", "agentId", "channel", "priority", "enqueuedAt", "assignedAt")) {
            assertThat(json).contains("\"" + field + "\"");
        }
        var agent = etcd.getKVClient()
                .get(ByteSequence.from(("/meshdesk/agents/" + lang + "-agent").getBytes()))
                .get(5, TimeUnit.SECONDS)
                .getKvs()
                .get(0);
        assertThat(agent.getLease())
                .as("the agent key is bound to its presence lease")
                .isNotZero();
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("session-route", "{\"customerId\":\"c\",", null, 400, "not valid JSON"),
                Arguments.of(
                        "session-route",
                        "{\"customerId\":\"c\",\"channel\":\"fax\",\"language\":\"en\"}",
                        "channel",
                        400,
                        "'fax' is not one of web, app, miniprogram, phone"),
                Arguments.of(
                        "session-route",
                        "{\"customerId\":\"c\",\"channel\":\"web\",\"language\":\"en\",\"skills\":{\"billing\":0}}",
                        "skills.billing",
                        400,
                        "between 1 and 5"),
                Arguments.of(
                        "session-route",
                        "{\"sessionId\":\"a/b\",\"customerId\":\"c\",\"channel\":\"web\"," + "\"language\":\"en\"}",
                        "sessionId",
                        400,
                        "not a valid id"),
                Arguments.of(
                        "agent-register",
                        "{\"agentId\":\"bad1\",\"languages\":[\"en\"],\"capacity\":-5}",
                        "capacity",
                        400,
                        "must be zero or more"),
                Arguments.of(
                        "agent-register",
                        "{\"agentId\":\"bad2\",\"languages\":[\"en\"]," + "\"skills\":{\"billing\":6}}",
                        "skills.billing",
                        400,
                        "between 1 and 5"),
                Arguments.of(
                        "agent-register",
                        "{\"agentId\":\"bad3\",\"languages\":[\"en\"],\"weight\":101}",
                        "weight",
                        400,
                        "between 0 and 100"),
                Arguments.of(
                        "agent-register",
                        "{\"agentId\":\"bad4\",\"languages\":[\"en\"],\"capacity\":\"lots\"}",
                        "capacity",
                        400,
                        "must be a whole number"),
                Arguments.of("agent-register", "{\"agentId\":\"bad5\"}", "languages", 400, "at least one language"),
                Arguments.of(
                        "agent-status",
                        "{\"agentId\":\"bad6\",\"status\":\"sleeping\"}",
                        "status",
                        400,
                        "not one of available, away, offline"),
                Arguments.of(
                        "agent-heartbeat",
                        "{\"agentId\":\"nobody-here\"}",
                        null,
                        404,
                        "agent nobody-here is not registered"),
                Arguments.of(
                        "agent-status",
                        "{\"agentId\":\"nobody-here\",\"status\":\"away\"}",
                        null,
                        404,
                        "agent nobody-here is not registered"),
                Arguments.of(
                        "session-get",
                        "{\"sessionId\":\"no-such-session\"}",
                        null,
                        404,
                        "session no-such-session does not exist"),
                Arguments.of(
                        "session-close",
                        "{\"sessionId\":\"no-such-session\",\"outcome\":\"resolved\"}",
                        null,
                        404,
                        "session no-such-session does not exist"),
                Arguments.of(
                        "session-close",
                        "{\"sessionId\":\"x\",\"outcome\":\"happy\"}",
                        "outcome",
                        400,
                        "not one of resolved, unresolved, abandoned"),
                Arguments.of("session-route", "[1,2]", null, 400, "must be a JSON object"));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("badRequests")
    void badInputGetsAProblemThatNamesTheFieldAndChangesNothing(
            String function, String body, String field, int status, String message) throws Exception {
        Map<String, String> before = everything();
        var response = Api.call(function, body);
        response.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("detail", containsString(message));
        if (field != null) {
            response.then().body("field", equalTo(field));
        }
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void theCustomerAndTheAssignedAgentGetChatTokensAndNobodyElseDoes() {
        String lang = "t-" + UUID.randomUUID().toString().substring(0, 6);
        Api.register(lang + "-agent", lang, 100);
        Map<String, Object> routed = Api.ok(Api.call(
                "session-route",
                Map.of("sessionId", lang + "-s", "customerId", lang + "-cust", "channel", "web", "language", lang)));
        assertThat((String) routed.get("customerToken")).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        for (String token : List.of(TestTokens.customer(lang + "-cust"), TestTokens.agent(lang + "-agent"))) {
            Api.as(token)
                    .body(Map.of("sessionId", lang + "-s"))
                    .post("/session-token")
                    .then()
                    .statusCode(200)
                    .body("token", org.hamcrest.Matchers.notNullValue());
        }
        Api.as(TestTokens.customer(lang + "-stranger"))
                .body(Map.of("sessionId", lang + "-s"))
                .post("/session-token")
                .then()
                .statusCode(403)
                .body("detail", containsString("neither for session " + lang + "-s"));
        Api.as(TestTokens.customer(lang + "-stranger"))
                .body(Map.of("sessionId", lang + "-s", "participantId", lang + "-cust"))
                .post("/session-token")
                .then()
                .statusCode(403)
                .body("detail", containsString("only its own token"));
        given().contentType("application/json")
                .body(Map.of("sessionId", lang + "-s", "participantId", lang + "-cust"))
                .post("/session-token")
                .then()
                .statusCode(401);
    }

    @Test
    void theTierComesFromTheVerifiedTokenNotFromAHeader() {
        String lang = "h-" + UUID.randomUUID().toString().substring(0, 6);
        Api.as(TestTokens.customer("c-" + lang))
                .header("x-user-role", "premium")
                .body(Map.of("sessionId", lang + "-s", "channel", "web", "language", lang))
                .post("/session-route")
                .then()
                .statusCode(200)
                .body("priority", equalTo("standard"));
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedAsUnsupported() {
        given().contentType("text/plain")
                .header("Authorization", TestTokens.bearer(TestTokens.customer("c")))
                .body("hello")
                .post("/session-route")
                .then()
                .statusCode(415)
                .body("detail", containsString("send application/json"));
    }

    @Test
    void aPostWithoutBodyIsToldToSendOne() {
        Api.as(TestTokens.ops())
                .post("/queue-status")
                .then()
                .statusCode(400)
                .body("detail", containsString("{} for a function that takes no input"));
    }

    /** A CloudEvent's sender presents a token for this function (Knative Eventing OIDC style). */
    private static io.restassured.specification.RequestSpecification event(String id, String type) {
        return Api.as(TestTokens.service("broker", "routing"))
                .header("ce-id", id)
                .header("ce-specversion", "1.0")
                .header("ce-source", "/test")
                .header("ce-type", type);
    }

    @Test
    void eachFunctionAnswersABinaryCloudEventWhoseTypeIsItsName() {
        String lang = "ce-" + UUID.randomUUID().toString().substring(0, 6);
        event("e1", "queue-status")
                .body("{}")
                .post("/")
                .then()
                .statusCode(200)
                .header("ce-type", "queue-status.output")
                .body("region", equalTo("cn-north"));
        event("e3", "session-get")
                .body(Map.of("sessionId", "missing-" + lang))
                .post("/")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        event("e4", "no-such-function")
                .body("{}")
                .post("/")
                .then()
                .statusCode(404)
                .body("detail", containsString("no-such-function"));
    }

    @Test
    void aCloudEventWithoutASenderTokenForThisFunctionIsRefused() throws Exception {
        Map<String, String> before = everything();
        given().contentType("application/json")
                .header("ce-id", "u1")
                .header("ce-specversion", "1.0")
                .header("ce-source", "/test")
                .header("ce-type", "session-close")
                .body(Map.of("sessionId", "any", "outcome", "resolved"))
                .post("/")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        Api.as(TestTokens.service("broker", "ticketing"))
                .header("ce-id", "u2")
                .header("ce-specversion", "1.0")
                .header("ce-source", "/test")
                .header("ce-type", "session-close")
                .body(Map.of("sessionId", "any", "outcome", "resolved"))
                .post("/")
                .then()
                .statusCode(401)
                .body("detail", containsString("audience 'routing'"));
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void aStructuredCloudEventWorksToo() {
        String lang = "sce-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Object> event = Map.of(
                "specversion",
                "1.0",
                "id",
                "e5",
                "source",
                "/test",
                "type",
                "session-get",
                "datacontenttype",
                "application/json",
                "data",
                Map.of("sessionId", "missing-" + lang));
        given().contentType("application/cloudevents+json")
                .header("Authorization", TestTokens.bearer(TestTokens.service("broker", "routing")))
                .body(event)
                .post("/")
                .then()
                .statusCode(404)
                .body("detail", containsString("missing-" + lang));
    }

    @Test
    void theMetricsCarryTheDocumentedNamesAndLabels() {
        String lang = "m-" + UUID.randomUUID().toString().substring(0, 6);
        Api.register(lang + "-a", lang, 25);
        Api.route(lang + "-s1", "web", lang);
        Api.route(lang + "-s2", "web", lang);
        Api.close(lang + "-s1", "resolved");
        String metrics = given().accept("text/plain")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metrics)
                .contains("meshdesk_routing_decision_seconds_bucket{function=\"routing\",outcome=\"assigned\","
                        + "region=\"cn-north\",version=\"dev\"")
                .contains(
                        "meshdesk_queue_wait_seconds_bucket{channel=\"web\",priority=\"standard\",region=\"cn-north\"")
                .contains("meshdesk_queue_depth{priority=\"premium\",region=\"cn-north\",}")
                .contains("meshdesk_agents{region=\"cn-north\",status=\"available\",}")
                .contains("meshdesk_channel_requests_total{channel=\"web\",region=\"cn-north\",status=\"queued\",}")
                .contains("meshdesk_sessions_closed_total{channel=\"web\",outcome=\"resolved\",region=\"cn-north\",}");
    }

    @Test
    void readinessReportsEtcd() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks[0].name", equalTo("etcd"))
                .body("checks[0].status", equalTo("UP"));
    }
}
