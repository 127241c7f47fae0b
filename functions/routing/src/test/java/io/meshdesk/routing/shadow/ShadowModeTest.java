package io.meshdesk.routing.shadow;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.testing.EtcdTestResource;
import io.meshdesk.events.EventSink;
import io.meshdesk.identity.testing.TestTokens;
import io.meshdesk.routing.RoutingInstance;
import io.meshdesk.routing.RoutingInstances;
import io.meshdesk.routing.presence.AgentRegistration;
import io.meshdesk.routing.settings.RoutingSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routing started as a canary's mirror target (meshdesk.shadow=true): session-route answers the
 * decision the stable revision would make, counts it in meshdesk_shadow_decisions_total, and etcd
 * is not written at all (its revision does not move). The agent is registered by a stable routing
 * instance on the same etcd, as in a cluster where the shadow only sees what the stable one wrote.
 */
@QuarkusTest
@TestProfile(ShadowModeTest.Shadow.class)
@QuarkusTestResource(EtcdTestResource.class)
@Timeout(60)
class ShadowModeTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String LANG = "sh-" + UUID.randomUUID().toString().substring(0, 6);
    static final String AGENT = LANG + "-agent";

    public static class Shadow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshdesk.shadow", "true", "meshdesk.version", "v2");
        }
    }

    static BlockingEtcd stableEtcd;
    static RoutingInstance stable;
    static Client etcd;

    @BeforeAll
    static void stableRegistersAnAgent() {
        List<String> endpoints = EtcdTestResource.cluster().endpoints();
        etcd = Client.builder().endpoints(endpoints.toArray(String[]::new)).build();
        stableEtcd = BlockingEtcd.connect(endpoints, Duration.ofSeconds(3));
        RoutingSettings settings = RoutingSettings.defaults("cn-north")
                .withTimes(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(120));
        stable = RoutingInstances.started(
                stableEtcd, settings, EventSink.NONE, new SimpleMeterRegistry(), Clock.systemUTC());
        await().atMost(TIMEOUT).until(stable::ready);
        stable.presence().register(new AgentRegistration(AGENT, null, Map.of(), List.of(LANG), 100, null));
    }

    @AfterAll
    static void stop() {
        stable.close();
        stableEtcd.close();
        etcd.close();
    }

    @Test
    void sessionRouteAnswersTheAssignmentCountsItAndWritesNothing() throws Exception {
        String session = LANG + "-s1";
        String customer = "c-" + session;
        // The shadow's view learns of the agent through its watch; until then it would queue.
        await().atMost(TIMEOUT)
                .until(() -> "assigned".equals(route(customer, session, LANG).path("state")));
        long before = revision();
        double counted = counted("assigned");

        Response answer = route(customer, session, LANG);

        answer.then().statusCode(200);
        assertThat(answer.jsonPath().getString("state")).isEqualTo("assigned");
        assertThat(answer.jsonPath().getString("agentId")).isEqualTo(AGENT);
        assertThat(answer.jsonPath().getString("customerToken"))
                .as("no session exists to chat in")
                .isNull();
        assertThat(revision()).as("etcd's revision: nothing was written").isEqualTo(before);
        assertThat(keys("/meshdesk/")).noneMatch(k -> k.contains(session));
        assertThat(counted("assigned")).isEqualTo(counted + 1);
    }

    @Test
    void aSessionNobodyCanTakeIsAnsweredQueuedAndNotQueued() throws Exception {
        String session = LANG + "-nobody";
        long before = revision();

        Response answer = route("c-" + session, session, LANG + "-unspoken");

        answer.then().statusCode(200);
        assertThat(answer.jsonPath().getString("state")).isEqualTo("queued");
        assertThat(answer.jsonPath().getInt("queuePosition")).isEqualTo(1);
        assertThat(revision()).as("etcd's revision: nothing was queued").isEqualTo(before);
        assertThat(counted("queued")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theOtherWritesAreNotRunAndSaySo() throws Exception {
        long before = revision();

        Response answer = given().contentType("application/json")
                .header("Authorization", TestTokens.bearer(TestTokens.agent(AGENT)))
                .body(Map.of("agentId", AGENT, "status", "away"))
                .post("/agent-status");

        answer.then().statusCode(202);
        assertThat(answer.jsonPath().getBoolean("committed")).isFalse();
        assertThat(answer.jsonPath().getString("function")).isEqualTo("agent-status");
        assertThat(revision())
                .as("etcd's revision: the agent is still available")
                .isEqualTo(before);
        assertThat(counted("not-evaluated")).isGreaterThanOrEqualTo(1);
    }

    static Response route(String customer, String session, String language) {
        return given().contentType("application/json")
                .header("Authorization", TestTokens.bearer(TestTokens.customer(customer)))
                .body(Map.of("sessionId", session, "channel", "web", "language", language))
                .post("/session-route");
    }

    static long revision() throws Exception {
        return etcd.getKVClient()
                .get(ByteSequence.from("/meshdesk/".getBytes()))
                .get(5, TimeUnit.SECONDS)
                .getHeader()
                .getRevision();
    }

    static List<String> keys(String prefix) throws Exception {
        GetResponse r = etcd.getKVClient()
                .get(
                        ByteSequence.from(prefix.getBytes()),
                        GetOption.builder().isPrefix(true).withKeysOnly(true).build())
                .get(5, TimeUnit.SECONDS);
        return r.getKvs().stream().map(kv -> kv.getKey().toString()).toList();
    }

    /** meshdesk_shadow_decisions_total{function="routing",version="v2",outcome=...} as /q/metrics serves it, 0 when absent. */
    static double counted(String outcome) {
        return given().accept("text/plain")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .filter(l -> l.startsWith("meshdesk_shadow_decisions_total{")
                        && l.contains("function=\"routing\"")
                        && l.contains("version=\"v2\"")
                        && l.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(0);
    }
}
