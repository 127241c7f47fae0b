package io.meshdesk.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.testing.EtcdTestResource;
import io.meshdesk.routing.json.RoutingJson;
import io.meshdesk.session.contract.SessionRecord;
import io.meshdesk.session.contract.SessionState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.meshdesk.routing.Api.audit;
import static io.meshdesk.routing.Api.close;
import static io.meshdesk.routing.Api.get;
import static io.meshdesk.routing.Api.register;
import static io.meshdesk.routing.Api.route;
import static io.meshdesk.routing.Api.routeAs;
import static io.meshdesk.routing.Api.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The routing rules, end to end over HTTP against a real etcd. Each test speaks its own
 * language, so only its own agents can take its sessions.
 */
@QuarkusTest
@QuarkusTestResource(EtcdTestResource.class)
@QuarkusTestResource(EventCapture.class)
@Timeout(60)
class RoutingRulesTest {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    /**
     * README, "Presence": an expired agent's sessions are re-queued within a second of its TTL
     * (agent-lease-ttl is 3 s in tests).
     */
    static final Duration REQUEUE_PROMISE = Duration.ofSeconds(3).plusSeconds(1);
    /** The test's own polling: every 20 ms, two etcd reads. */
    static final Duration POLL_MARGIN = Duration.ofMillis(100);

    @Inject
    BlockingEtcd etcd;

    final String lang = "x-" + UUID.randomUUID().toString().substring(0, 8);

    String id(String name) {
        return lang + "-" + name;
    }

    @AfterEach
    void everyInvariantHolds() {
        assertThat((List<?>) audit().get("violations")).isEmpty();
    }

    @Test
    void aFreeAgentGetsTheSessionAndRoutingItAgainReturnsTheSameSession() {
        register(id("a1"), lang, 100);
        Map<String, Object> first = route(id("s1"), "web", lang);
        assertThat(first)
                .containsEntry("state", "assigned")
                .containsEntry("agentId", id("a1"))
                .containsEntry("sessionId", id("s1"));
        Map<String, Object> again = route(id("s1"), "phone", lang);
        assertThat((String) again.remove("customerToken")).isNotBlank();
        first.remove("customerToken");
        assertThat(again).isEqualTo(first);
        assertThat(get(id("s1"))).containsEntry("state", "assigned").containsEntry("channel", "web");
    }

    @Test
    void aSessionWithoutIdIsRefusedAndARetryWithItsIdIsNoDuplicate() {
        // The id is the idempotency key: with a random one per call, a client retrying after a
        // timeout would have created a second session.
        register(id("a1"), lang, 100);
        Api.call("session-route", Map.of("customerId", "c1", "channel", "app", "language", lang))
                .then()
                .statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("sessionId"));
        Map<String, Object> body = Map.of("sessionId", id("s"), "customerId", "c1", "channel", "app", "language", lang);
        Map<String, Object> routed = Api.ok(Api.call("session-route", body));
        Map<String, Object> retried = Api.ok(Api.call("session-route", body));
        assertThat(retried)
                .containsEntry("sessionId", routed.get("sessionId"))
                .containsEntry("state", "assigned")
                .containsEntry("agentId", routed.get("agentId"));
        assertThat(Api.audit().get("violations")).isEqualTo(java.util.List.of());
    }

    @Test
    void aDefaultAgentTakesFourChatsOrOneCallAndClosingOneBackfillsFromTheQueue() {
        register(id("a1"), lang, 100);
        for (int i = 1; i <= 4; i++) {
            assertThat(route(id("c" + i), "web", lang)).containsEntry("state", "assigned");
        }
        Map<String, Object> fifth = route(id("c5"), "web", lang);
        assertThat(fifth).containsEntry("state", "queued").containsEntry("agentId", null);
        assertThat((Integer) fifth.get("queuePosition")).isGreaterThanOrEqualTo(1);

        Map<String, Object> closed = close(id("c1"), "resolved");
        assertThat(closed).containsEntry("state", "closed");
        // Backfill happens in the close itself, not on the next sweep.
        assertThat(get(id("c5"))).containsEntry("state", "assigned").containsEntry("agentId", id("a1"));

        register(id("p"), lang + "-phone", 100);
        assertThat(route(id("call1"), "phone", lang + "-phone")).containsEntry("state", "assigned");
        assertThat(route(id("call2"), "web", lang + "-phone")).containsEntry("state", "queued");
    }

    @Test
    void premiumIsServedBeforeAnOlderStandardSession() {
        register(id("a1"), lang, 25);
        route(id("busy"), "web", lang);
        assertThat(routeAs("standard", id("std"), lang))
                .containsEntry("state", "queued")
                .containsEntry("priority", "standard");
        Map<String, Object> premium = routeAs("premium", id("vip"), lang);
        assertThat(premium).containsEntry("state", "queued").containsEntry("priority", "premium");

        close(id("busy"), "resolved");
        assertThat(get(id("vip"))).containsEntry("state", "assigned");
        assertThat(get(id("std"))).containsEntry("state", "queued");
    }

    @Test
    void aStandardSessionThatWaitedPastTheAgingTimeIsServedAheadOfANewerPremium() {
        register(id("a1"), lang, 25);
        route(id("busy"), "web", lang);
        Instant enqueued =
                Instant.parse((String) routeAs("standard", id("old"), lang).get("enqueuedAt"));
        // aging-after is 3 s in tests: once it has passed, the standard session counts as premium.
        waitKeepingAlive(enqueued.plusMillis(3_100), id("a1"));
        routeAs("premium", id("vip"), lang);
        close(id("busy"), "resolved");
        assertThat(get(id("old"))).containsEntry("state", "assigned");
        assertThat(get(id("vip"))).containsEntry("state", "queued");
    }

    @Test
    void aSessionWaitsForItsBusyPreferredAgentThenGoesToAnyone() {
        register(id("pref"), lang, 25);
        assertThat(routePreferring(id("busy"), id("pref"))).containsEntry("agentId", id("pref"));
        register(id("other"), lang, 100);
        Map<String, Object> waiting = routePreferring(id("s"), id("pref"));
        assertThat(waiting).containsEntry("state", "queued");
        // preferred-agent-wait is 2 s in tests; until then the free agent must not take it.
        assertThat(get(id("s"))).containsEntry("state", "queued");
        waitKeepingAlive(Instant.parse((String) waiting.get("enqueuedAt")).plusSeconds(2), id("pref"), id("other"));
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(get(id("s")))
                        .containsEntry("state", "assigned")
                        .containsEntry("agentId", id("other")));
    }

    @Test
    void aSessionWaitingForItsPreferredAgentGetsThemWhenTheyFreeUp() {
        register(id("pref"), lang, 25);
        routePreferring(id("busy"), id("pref"));
        register(id("other"), lang, 100);
        assertThat(routePreferring(id("s"), id("pref"))).containsEntry("state", "queued");
        close(id("busy"), "resolved");
        assertThat(get(id("s"))).containsEntry("state", "assigned").containsEntry("agentId", id("pref"));
    }

    private Map<String, Object> routePreferring(String sessionId, String agentId) {
        return routeWith(sessionId, "preferredAgentId", agentId);
    }

    /** A web session of customer c in the test's language, with one more field of the request. */
    private Map<String, Object> routeWith(String sessionId, String field, Object value) {
        return Api.ok(Api.call(
                "session-route",
                Map.of("sessionId", sessionId, "customerId", "c", "channel", "web", "language", lang, field, value)));
    }

    @Test
    void aPreferredAgentWithRoomGetsTheSessionEvenIfAnotherIdledLonger() {
        register(id("idle"), lang, 100);
        register(id("pref"), lang, 100);
        Map<String, Object> routed = routePreferring(id("s"), id("pref"));
        assertThat(routed).containsEntry("state", "assigned").containsEntry("agentId", id("pref"));
    }

    @Test
    void onlyAnAgentWithTheLanguageAndEverySkillTakesTheSession() {
        Api.ok(Api.call(
                "agent-register",
                Map.of("agentId", id("junior"), "languages", List.of(lang), "skills", Map.of("billing", 2))));
        Map<String, Object> routed = routeWith(id("s"), "skills", Map.of("billing", 4));
        assertThat(routed).containsEntry("state", "queued");
        Api.ok(Api.call(
                "agent-register",
                Map.of(
                        "agentId",
                        id("senior"),
                        "languages",
                        List.of(lang),
                        "skills",
                        Map.of("billing", 5, "refunds", 1))));
        // Registering adds capacity, so it backfills at once.
        assertThat(get(id("s"))).containsEntry("state", "assigned").containsEntry("agentId", id("senior"));
    }

    @Test
    void aDrainedAgentWithWeightZeroGetsNothing() {
        Api.ok(Api.call("agent-register", Map.of("agentId", id("drained"), "languages", List.of(lang), "weight", 0)));
        assertThat(route(id("s"), "web", lang)).containsEntry("state", "queued");
    }

    @Test
    void anAwayAgentKeepsItsSessionsAndGetsNoNewOnesAndOfflineRequeuesThem() {
        register(id("a1"), lang, 100);
        route(id("kept"), "web", lang);
        assertThat(status(id("a1"), "away")).containsEntry("status", "away");
        assertThat(route(id("new"), "web", lang)).containsEntry("state", "queued");
        assertThat(get(id("kept"))).containsEntry("state", "assigned");

        Object enqueuedAt = get(id("kept")).get("enqueuedAt");
        Map<String, Object> offline = status(id("a1"), "offline");
        assertThat(offline).containsEntry("status", "offline").containsEntry("requeuedSessions", 1);
        assertThat(get(id("kept"))).containsEntry("state", "queued").containsEntry("enqueuedAt", enqueuedAt);
        Api.call("agent-heartbeat", Map.of("agentId", id("a1"))).then().statusCode(404);
    }

    @Test
    void whenAnAgentsLeaseExpiresItsSessionsAreRequeuedWithTheirOriginalEnqueueTime() {
        register(id("gone"), lang, 100);
        route(id("s1"), "web", lang);
        heartbeat(id("gone"));
        route(id("s2"), "app", lang);
        Object enqueuedAt = get(id("s1")).get("enqueuedAt");
        // The last heartbeat answered starts the TTL. After it none: the lease expires, etcd
        // removes the agent, and the watch re-queues, within what the README promises. The
        // sessions are read straight from etcd, so the test's polling adds little to the time.
        heartbeat(id("gone"));
        long lastHeartbeat = System.nanoTime();
        await().atMost(REQUEUE_PROMISE.plus(POLL_MARGIN))
                .pollInterval(Duration.ofMillis(20))
                .until(() ->
                        stateInEtcd(id("s1")) == SessionState.QUEUED && stateInEtcd(id("s2")) == SessionState.QUEUED);
        assertThat(get(id("s1"))).containsEntry("state", "queued").containsEntry("enqueuedAt", enqueuedAt);
        assertThat(EventCapture.of("meshdesk.session.requeued", id("s1"))).hasSize(1);
        register(id("back"), lang, 100);
        assertThat(get(id("s1"))).containsEntry("state", "assigned").containsEntry("agentId", id("back"));
    }

    private SessionState stateInEtcd(String sessionId) {
        return RoutingJson.decode(etcd.get(Keyspace.session(sessionId), "test").getValue(), SessionRecord.class)
                .state();
    }

    private static void heartbeat(String agentId) {
        Api.ok(Api.call("agent-heartbeat", Map.of("agentId", agentId)));
    }

    /** Waits until a moment has passed, heartbeating for the agents as their console would. */
    static void waitKeepingAlive(Instant until, String... agents) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (String agent : agents) {
                Api.ok(Api.call("agent-heartbeat", Map.of("agentId", agent)));
            }
            return Instant.now().isAfter(until);
        });
    }

    @Test
    void heartbeatsKeepAnAgentPresentPastItsLeaseTtl() {
        register(id("alive"), lang, 100);
        route(id("s1"), "web", lang);
        waitKeepingAlive(Instant.now().plusSeconds(6), id("alive"));
        assertThat(get(id("s1"))).containsEntry("state", "assigned").containsEntry("agentId", id("alive"));
    }

    @Test
    void everyStateChangeIsSentToTheSinkAsACloudEvent() {
        register(id("a1"), lang, 25);
        route(id("s1"), "web", lang);
        route(id("s2"), "web", lang);
        close(id("s1"), "unresolved");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(EventCapture.of("meshdesk.session.assigned", id("s1"))).hasSize(1);
            assertThat(EventCapture.of("meshdesk.session.queued", id("s2"))).hasSize(1);
            assertThat(EventCapture.of("meshdesk.session.assigned", id("s2"))).hasSize(1);
            assertThat(EventCapture.of("meshdesk.session.closed", id("s1"))).hasSize(1);
        });
        var closed = EventCapture.of("meshdesk.session.closed", id("s1")).get(0);
        assertThat(closed.source()).isEqualTo("/meshdesk/cn-north/routing");
        assertThat(closed.body()).contains("\"outcome\":\"unresolved\"").contains("\"state\":\"closed\"");
    }

    @Test
    void closingAQueuedSessionTakesItOutOfTheQueueAndClosingTwiceIsHarmless() {
        Map<String, Object> queued = route(id("s1"), "web", lang);
        assertThat(queued).containsEntry("state", "queued");
        assertThat(close(id("s1"), "abandoned")).containsEntry("state", "closed");
        assertThat(close(id("s1"), "resolved")).containsEntry("state", "closed");
        assertThat(get(id("s1"))).containsEntry("state", "closed");
    }
}
