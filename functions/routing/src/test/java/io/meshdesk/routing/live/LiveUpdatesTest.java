package io.meshdesk.routing.live;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.etcd.testing.EtcdTestResource;
import io.meshdesk.identity.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Live updates pushed from routing's watches: an agent's new session, a queued customer's turn. */
@QuarkusTest
@QuarkusTestResource(EtcdTestResource.class)
@Timeout(60)
class LiveUpdatesTest {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** The promise: a change reaches the page within a second. */
    static final Duration WITHIN = Duration.ofSeconds(1);

    final String lang = "x-" + UUID.randomUUID().toString().substring(0, 8);

    @TestHTTPResource("/")
    URL root;

    @Test
    void anAgentSeesANewAssignmentWithinASecondAndTheQueue() throws Exception {
        String agent = lang + "-a";
        register(agent, 100);
        try (SseClient live =
                new SseClient(uri("live/agent"), "authorization", TestTokens.bearer(TestTokens.agent(agent)))) {
            await().atMost(TIMEOUT).until(() -> live.last("sessions") != null && live.last("queue") != null);
            assertThat(live.last("sessions").data()).isEmpty();
            assertThat(live.last("queue").data().has("oldestWaitSeconds")).isTrue();

            Instant routed = Instant.now();
            route(lang + "-s1");
            await().atMost(TIMEOUT)
                    .until(() -> sessionIds(live.last("sessions").data()).contains(lang + "-s1"));
            SseClient.Event event = live.events("sessions").stream()
                    .filter(e -> sessionIds(e.data()).contains(lang + "-s1"))
                    .findFirst()
                    .orElseThrow();
            assertThat(Duration.between(routed, event.at())).isLessThan(WITHIN);
            JsonNode session = event.data().get(0);
            assertThat(session.get("customerId").asText()).isEqualTo(customer(lang + "-s1"));
            assertThat(session.get("channel").asText()).isEqualTo("web");
            assertThat(session.get("language").asText()).isEqualTo(lang);

            close(lang + "-s1");
            await().atMost(TIMEOUT).until(() -> live.last("sessions").data().isEmpty());
        }
    }

    @Test
    void aQueuedCustomerSeesItsPlaceAndThenItsAgentWithinASecond() throws Exception {
        String agent = lang + "-a";
        register(agent, 25);
        route(lang + "-first");
        Map<String, Object> second = route(lang + "-second");
        assertThat(second).containsEntry("state", "queued");
        try (SseClient live = new SseClient(
                uri("live/session/" + lang + "-second"),
                "authorization",
                TestTokens.bearer(TestTokens.customer(customer(lang + "-second"))))) {
            await().atMost(TIMEOUT).until(() -> live.last("session") != null);
            JsonNode queued = live.last("session").data();
            assertThat(queued.get("state").asText()).isEqualTo("queued");
            // Other tests' sessions may wait in the same region's queue: the place is the one routing gave.
            assertThat(queued.get("queuePosition").asInt()).isEqualTo(second.get("queuePosition"));

            Instant freed = Instant.now();
            close(lang + "-first");
            await().atMost(TIMEOUT)
                    .until(() -> "assigned"
                            .equals(live.last("session").data().get("state").asText()));
            SseClient.Event assigned = live.last("session");
            assertThat(assigned.data().get("agentId").asText()).isEqualTo(agent);
            assertThat(Duration.between(freed, assigned.at())).isLessThan(WITHIN);
            // One session left the queue, so the next one in line would get an estimate.
            close(lang + "-second");
            await().atMost(TIMEOUT)
                    .until(() -> "closed"
                            .equals(live.last("session").data().get("state").asText()));
        }
    }

    @Test
    void aStreamFollowsOnlyWhatTheTokenMayFollow() throws Exception {
        register(lang + "-a", 25);
        route(lang + "-mine");
        assertThat(status("live/session/" + lang + "-mine", null)).isEqualTo(401);
        assertThat(status("live/session/" + lang + "-mine", TestTokens.customer("somebody-else")))
                .isEqualTo(403);
        assertThat(status("live/session/" + lang + "-mine", TestTokens.agent(lang + "-a")))
                .isEqualTo(403);
        assertThat(status("live/session/" + lang + "-nobody", TestTokens.customer("c-x")))
                .isEqualTo(404);
        assertThat(status("live/agent", TestTokens.customer(customer(lang + "-mine"))))
                .isEqualTo(403);
        assertThat(status("live/agent", null)).isEqualTo(401);
        close(lang + "-mine");
    }

    private int status(String path, String token) throws Exception {
        try (SseClient client = token == null
                ? new SseClient(uri(path), "x-none", "1")
                : new SseClient(uri(path), "authorization", TestTokens.bearer(token))) {
            await().atMost(TIMEOUT).until(() -> client.status() != 0);
            return client.status();
        }
    }

    private URI uri(String path) throws Exception {
        return new URL(root, path).toURI();
    }

    private static List<String> sessionIds(JsonNode sessions) {
        return sessions.findValuesAsText("sessionId");
    }

    private static String customer(String sessionId) {
        return "c-" + sessionId;
    }

    private void register(String agent, int capacity) {
        given().contentType("application/json")
                .header("Authorization", TestTokens.bearer(TestTokens.agent(agent)))
                .body(Map.of("agentId", agent, "languages", List.of(lang), "capacity", capacity, "skills", Map.of()))
                .post("/agent-register")
                .then()
                .statusCode(200);
    }

    private Map<String, Object> route(String sessionId) {
        return given().contentType("application/json")
                .header("Authorization", TestTokens.bearer(TestTokens.customer(customer(sessionId))))
                .body(Map.of("sessionId", sessionId, "channel", "web", "language", lang))
                .post("/session-route")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("$");
    }

    private void close(String sessionId) {
        given().contentType("application/json")
                .header("Authorization", TestTokens.bearer(TestTokens.service("chat", "routing")))
                .body(Map.of("sessionId", sessionId, "outcome", "resolved"))
                .post("/session-close")
                .then()
                .statusCode(200);
    }
}
