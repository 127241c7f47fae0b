package io.meshdesk.ticketing;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** Without its database, ticketing answers 503 with a clear message and reports not ready. */
@QuarkusTest
@TestProfile(DatabaseOutageTest.OwnDatabase.class)
@QuarkusTestResource(PostgresTestResource.class)
@Timeout(60)
class DatabaseOutageTest {

    /** A profile of its own, so that this test's database is not the one other tests use. */
    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.acquisition-timeout", "2s");
        }
    }

    @Test
    void withoutPostgresCallsGet503AndReadinessIsDown() throws Exception {
        Api.create("cust-outage", "support", "low");
        PostgresTestResource.postgres().close();
        Api.call("ticket-create", Api.ticket("c", "q", "low"))
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("PostgreSQL is unreachable"))
                .body("detail", containsString("MESHDESK_DB_URL"));
        given().get("/q/health/ready").then().statusCode(503);
    }
}
