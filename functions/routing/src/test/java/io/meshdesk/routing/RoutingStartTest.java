package io.meshdesk.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.meshdesk.etcd.testing.EtcdTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Routing starts while its etcd is away (as after a region-wide restart): the process comes up,
 * says it is not ready and why, answers 503 instead of guessing, and serves once etcd is back.
 */
@QuarkusTest
@TestProfile(RoutingStartTest.EtcdDownAtStart.class)
@Timeout(90)
class RoutingStartTest {

    public static class EtcdDownAtStart implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshdesk.etcd.timeout", "1s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EtcdTestResource.class, Map.of("down-at-start", "true")));
        }

        /** The other tests' etcd (up) must not be started for this one. */
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Test
    void startsWithoutEtcdAndServesOnceItIsBack() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(503).body("checks[0].status", equalTo("DOWN"));
        Api.call("queue-status", Map.of())
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("not loaded from etcd yet"));

        EtcdTestResource.cluster().restart(0);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        Api.ok(Api.call("agent-register", Map.of("agentId", "start-a", "languages", List.of("start"))));
        Api.call(
                        "session-route",
                        Map.of("sessionId", "start-s", "customerId", "c", "channel", "web", "language", "start"))
                .then()
                .statusCode(200)
                .body("state", equalTo("assigned"));
    }
}
