package io.meshdesk.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.meshdesk.etcd.testing.EtcdTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** etcd goes away: calls fail fast with a 503 that says so, readiness drops, and both recover. */
@QuarkusTest
@TestProfile(EtcdOutageTest.ShortTimeout.class)
@QuarkusTestResource(EtcdTestResource.class)
@Timeout(90)
class EtcdOutageTest {

    public static class ShortTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshdesk.etcd.timeout", "1s", "meshdesk.routing.agent-lease-ttl", "60s");
        }
    }

    @Test
    void withoutEtcdCallsGet503AndReadinessIsDownThenBothRecover() {
        Api.ok(Api.call("agent-register", Map.of("agentId", "out-a", "languages", List.of("out"))));
        EtcdTestResource.cluster().kill(0);
        try {
            Api.call(
                            "session-route",
                            Map.of("sessionId", "out-s", "customerId", "c", "channel", "web", "language", "out"))
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .body("detail", containsString("etcd at http://127.0.0.1:"))
                    .body("detail", containsString("check that etcd is running"));
            given().get("/q/health/ready").then().statusCode(503).body("checks[0].status", equalTo("DOWN"));
        } finally {
            EtcdTestResource.cluster().restart(0);
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> Api.call(
                                "session-route",
                                Map.of("sessionId", "out-s", "customerId", "c", "channel", "web", "language", "out"))
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("assigned")));
    }
}
