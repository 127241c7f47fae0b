package io.meshdesk.ticketing;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a canary's analysis reads from a function (libraries/telemetry): request metrics
 * labelled with the function and the version from config, with buckets for a P99; and the
 * fault injection that makes a bad candidate on demand, sparing /q/.
 */
@QuarkusTest
@TestProfile(RequestMetricsAndFaultsTest.BadCandidate.class)
@QuarkusTestResource(PostgresTestResource.class)
@Timeout(60)
class RequestMetricsAndFaultsTest {

    /** A candidate version whose every request fails, as a canary test configures one. */
    public static class BadCandidate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshdesk.version", "v7", "meshdesk.fault.error-percent", "100");
        }
    }

    @Test
    void everyRequestFailsWith503ButHealthAndMetricsAnswer() {
        Api.call("backlog", Map.of()).then().statusCode(503);
        given().get("/q/health/live").then().statusCode(200);
        String metrics = given().accept("text/plain")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metrics)
                .containsPattern("http_server_requests_seconds_count\\{function=\"ticketing\",[^}]*"
                        + "status=\"503\",uri=\"/backlog\",version=\"v7\"[^}]*} 1\\.0")
                .containsPattern("http_server_requests_seconds_bucket\\{function=\"ticketing\",[^}]*status=\"503\","
                        + "uri=\"/backlog\",version=\"v7\",le=\"0\\.5\"");
    }
}
