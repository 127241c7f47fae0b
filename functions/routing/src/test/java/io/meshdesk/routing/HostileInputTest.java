package io.meshdesk.routing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.meshdesk.etcd.testing.EtcdTestResource;
import io.meshdesk.identity.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Regressions of issue 15 ("HTTP functions: 500s from bad input"): each input that was answered
 * 500 (or 200 with a state change, or a body that was not a problem) is refused with a 4xx
 * problem naming what is wrong, and nothing in etcd changes. Named after the defects.
 */
@QuarkusTest
@TestProfile(RoutingContractTest.LongLeases.class)
@QuarkusTestResource(EtcdTestResource.class)
@QuarkusTestResource(EventCapture.class)
@Timeout(60)
class HostileInputTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String AUTH = "Authorization: " + TestTokens.bearer(TestTokens.service("chat", "routing")) + "\r\n";

    @TestHTTPResource("/")
    java.net.URL root;

    static Client etcd;

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

    /** Every key under /meshdesk/ with its value: equal before and after a refused request. */
    static Map<String, String> everything() throws Exception {
        Map<String, String> all = new TreeMap<>();
        etcd.getKVClient()
                .get(
                        ByteSequence.from("/meshdesk/".getBytes()),
                        GetOption.builder().isPrefix(true).build())
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .getKvs()
                .forEach(kv -> all.put(kv.getKey().toString(), kv.getValue().toString()));
        return all;
    }

    record Case(
            String defect, Supplier<RequestSpecification> request, String path, int status, String field, String says) {
        @Override
        public String toString() {
            return defect;
        }
    }

    /**
     * A call with the token its function expects (Api.tokenFor), the body as bytes: RestAssured
     * inspects a String body it is told is JSON, slowly when it is huge.
     */
    static RequestSpecification json(String function, String body) {
        return given().contentType("application/json")
                .header(
                        "Authorization",
                        TestTokens.bearer(Api.tokenFor(function, body.length() > 10_000 ? "{}" : body)))
                .body(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Events come from other functions: a service token for routing's audience. */
    static RequestSpecification event() {
        return given().header("Authorization", TestTokens.bearer(TestTokens.service("chat", "routing")));
    }

    static RequestSpecification binaryEvent(String type, String body) {
        return binaryEvent(type, body, "1.0", "e-1");
    }

    static RequestSpecification binaryEvent(String type, String body, String specVersion, String id) {
        return event().contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .header("ce-specversion", specVersion)
                .header("ce-id", id)
                .header("ce-source", "/test")
                .header("ce-type", type);
    }

    static RequestSpecification structured(String event) {
        return event().contentType("application/cloudevents+json").body(event.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Case> cases() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        String hugeLanguage = "e".repeat(1_000_000);
        return Stream.of(
                new Case(
                        "binaryEventWhoseBodyIsNotJson",
                        () -> binaryEvent("session-get", "not json"),
                        "/",
                        400,
                        null,
                        "not valid JSON"),
                new Case(
                        "binaryEventTenThousandLevelsDeep",
                        () -> binaryEvent("session-get", deep),
                        "/",
                        400,
                        null,
                        "nested deeper than 32"),
                new Case(
                        "structuredEventWithoutData",
                        () -> structured(
                                "{\"specversion\":\"1.0\",\"id\":\"1\","
                                        + "\"source\":\"/t\",\"type\":\"session-get\",\"datacontenttype\":\"application/json\"}"),
                        "/",
                        400,
                        "data",
                        "no 'data'"),
                new Case(
                        "structuredEventWithoutType",
                        () -> structured("{\"specversion\":\"1.0\",\"id\":\"1\","
                                + "\"source\":\"/t\",\"datacontenttype\":\"application/json\",\"data\":{}}"),
                        "/",
                        400,
                        "type",
                        "'type'"),
                new Case(
                        "cloudEventsJsonSentToAFunctionPath",
                        () -> structured("{\"specversion\":\"1.0\",\"id\":\"1\","
                                + "\"source\":\"/t\",\"type\":\"session-get\",\"data\":{\"sessionId\":\"x\"}}"),
                        "/session-get",
                        415,
                        "Content-Type",
                        "goes to /"),
                new Case(
                        "cloudEventWithoutCeIdIsNotCalledNoFunction",
                        () -> json("session-get", "{\"sessionId\":\"x\"}")
                                .header("ce-specversion", "1.0")
                                .header("ce-source", "/t")
                                .header("ce-type", "session-get"),
                        "/",
                        400,
                        "ce-id",
                        "no header 'ce-id'"),
                new Case(
                        "specVersion99IsRefused",
                        () -> binaryEvent("session-get", "{\"sessionId\":\"x\"}", "99", "e-1"),
                        "/",
                        400,
                        "ce-specversion",
                        "'99' is not supported"),
                new Case(
                        "aHugeCeIdIsRefused",
                        () -> binaryEvent("session-get", "{\"sessionId\":\"x\"}", "1.0", "i".repeat(2_000)),
                        "/",
                        400,
                        "ce-id",
                        "at most 256"),
                new Case(
                        "aPathInUpperCaseAnswersAProblemNotHtml",
                        () -> json("session-get", "{}"),
                        "/SESSION-GET",
                        404,
                        null,
                        "names are lower case"),
                new Case(
                        "putWithJsonIsAWrongMethodNotAWrongMediaType",
                        () -> json("session-get", "{}"),
                        "PUT /session-get",
                        405,
                        null,
                        "with POST"),
                new Case(
                        "agentIdTrueDoesNotRegisterAnAgentNamedTrue",
                        () -> json("agent-register", "{\"agentId\":true,\"languages\":[\"en\"]}"),
                        "/agent-register",
                        400,
                        "agentId",
                        "must be a string"),
                new Case(
                        "channelZeroDoesNotRouteAsWeb",
                        () -> json(
                                "session-route",
                                "{\"sessionId\":\"c0\",\"customerId\":\"c\"," + "\"channel\":0,\"language\":\"en\"}"),
                        "/session-route",
                        400,
                        "channel",
                        "channel"),
                new Case(
                        "statusZeroDoesNotMakeAnAgentAvailable",
                        () -> json("agent-status", "{\"agentId\":\"a\",\"status\":0}"),
                        "/agent-status",
                        400,
                        "status",
                        "status"),
                new Case(
                        "aMegabyteLanguageIsABadRequestNotEtcdDown",
                        () -> json(
                                "session-route",
                                "{\"sessionId\":\"l1\",\"customerId\":\"c\"," + "\"channel\":\"web\",\"language\":\""
                                        + hugeLanguage + "\"}"),
                        "/session-route",
                        400,
                        "language",
                        "not a language tag"),
                new Case(
                        "aNulCharacterIsRefused",
                        () -> json(
                                "session-route",
                                "{\"sessionId\":\"n1\",\"customerId\":\"c\\u0000\","
                                        + "\"channel\":\"web\",\"language\":\"en\"}"),
                        "/session-route",
                        400,
                        "customerId",
                        "NUL"),
                new Case(
                        "aSessionWithoutIdIsRefusedSoARetryCannotDuplicateIt",
                        () -> json(
                                "session-route", "{\"customerId\":\"c\"," + "\"channel\":\"web\",\"language\":\"en\"}"),
                        "/session-route",
                        400,
                        "sessionId",
                        "'sessionId' is required"),
                new Case(
                        "aDisplayNameOverTheLimitIsRefused",
                        () -> json(
                                "agent-register",
                                "{\"agentId\":\"dn\",\"languages\":[\"en\"]," + "\"displayName\":\"" + "n".repeat(201)
                                        + "\"}"),
                        "/agent-register",
                        400,
                        "displayName",
                        "at most 200"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsAProblemNamingTheFieldAndChangesNothing(Case c) throws Exception {
        Map<String, String> before = everything();
        var response = c.path().startsWith("PUT ")
                ? c.request().get().put(c.path().substring(4))
                : c.request().get().post(c.path());
        response.then()
                .statusCode(c.status())
                .contentType("application/problem+json")
                .body("status", equalTo(c.status()))
                .body("detail", containsString(c.says()));
        if (c.field() != null) {
            response.then().body("field", equalTo(c.field()));
        }
        assertThat(everything()).as("etcd after a refused request").isEqualTo(before);
    }

    @Test
    void aTwelveMegabyteBodyIsTooLargeNotAnError() {
        String body = "{\"sessionId\":\"" + "x".repeat(12 * 1024 * 1024) + "\"}";
        json("session-get", body)
                .post("/session-get")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("1M"));
    }

    @Test
    void aRequestWithoutHostIsABadRequestNotAnError() throws IOException {
        String answer = raw("POST /session-get HTTP/1.1\r\n" + AUTH
                + "Content-Type: application/json\r\nContent-Length: 2\r\n" + "Connection: close\r\n\r\n{}");
        assertThat(answer)
                .startsWith("HTTP/1.1 400")
                .contains("application/problem+json")
                .contains("\"field\":\"Host\"");
    }

    @Test
    void contentLengthWithTransferEncodingIsReadAsChunkedNeverA500() throws IOException {
        // Netty drops the Content-Length (RFC 9112 6.3: Transfer-Encoding wins), so the body is the
        // chunked one; were both to reach the gate, it refuses the request outright.
        String answer = raw("POST /session-get HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Type: application/json\r\n"
                + "Content-Length: 40\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "2\r\n{}\r\n0\r\n\r\n");
        assertThat(answer)
                .startsWith("HTTP/1.1 400")
                .contains("application/problem+json")
                .contains("\"field\":\"sessionId\"");
    }

    @Test
    void aBodyThatTricklesInIsCutAfterTheBodyTimeout() throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /session-get HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("did not arrive within 2 s");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
    }

    @Test
    void reRegisteringWithACapacityBelowTheLoadIsRefusedAndChangesNothing() throws Exception {
        String lang = "cap-" + UUID.randomUUID().toString().substring(0, 6);
        Api.register(lang + "-a", lang, 100);
        Api.route(lang + "-s1", "web", lang);
        Api.route(lang + "-s2", "web", lang);
        Map<String, String> before = everything();
        Api.call(
                        "agent-register",
                        Map.of(
                                "agentId",
                                lang + "-a",
                                "languages",
                                List.of(lang),
                                "capacity",
                                25,
                                "skills",
                                Map.of("billing", 3)))
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("holds 2 sessions using 50 capacity units"))
                .body("detail", containsString("at least 50"));
        assertThat(everything()).isEqualTo(before);
        Api.register(lang + "-a", lang, 50);
        assertThat(Api.audit().get("violations")).isEqualTo(List.of());
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
