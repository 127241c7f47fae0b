package io.meshdesk.routing.faces;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.meshdesk.etcd.testing.EtcdTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Routing serves the faces: the pages and their settings without a token; no development issuer
 * unless one is configured (a deployment signs the pages in through its identity provider).
 */
@QuarkusTest
@QuarkusTestResource(EtcdTestResource.class)
@Timeout(60)
class FacesServedTest {

    @Test
    void thePagesAndTheirSettingsNeedNoToken() {
        given().get("/widget/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("Start chat"))
                .body(containsString("Rate this chat"));
        given().get("/console/")
                .then()
                .statusCode(200)
                .body(containsString("Agent ID"))
                .body(containsString("Close session"));
        given().get("/shared/chat-socket.js").then().statusCode(200).body(containsString("bearer."));
        given().redirects().follow(false).get("/widget").then().statusCode(302);
        given().get("/faces/config.json")
                .then()
                .statusCode(200)
                .body("region", org.hamcrest.Matchers.equalTo("cn-north"))
                .body("chatUrls", hasItem("ws://127.0.0.1:8082"))
                .body("devIssuerUrl", org.hamcrest.Matchers.nullValue())
                .body("cannedReplies", not(org.hamcrest.Matchers.empty()));
    }

    @Test
    void everythingElseStillNeedsAToken() {
        given().get("/live/agent").then().statusCode(401);
        given().contentType("application/json")
                .body("{}")
                .post("/queue-status")
                .then()
                .statusCode(401);
    }
}
