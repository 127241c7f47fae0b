package io.meshdesk.ticketing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.meshdesk.ticketing.Api.call;
import static io.meshdesk.ticketing.Api.create;
import static io.meshdesk.ticketing.Api.move;
import static io.meshdesk.ticketing.Api.ok;
import static io.meshdesk.ticketing.Api.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The ticket lifecycle over HTTP against a real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@Timeout(60)
class TicketLifecycleTest {

    @Test
    void aTicketGoesThroughItsWholeLifeAndEveryChangeIsRecorded() {
        Map<String, Object> t = create("cust-1", "billing", "urgent");
        assertThat(t).containsEntry("status", "new").containsEntry("version", 1);
        assertThat(Api.sla(t)).containsKeys("firstResponseDue", "resolutionDue");
        t = move(t, "open");
        t = move(t, "pending");
        t = move(t, "open");
        t = ok(update(t.get("ticketId"), t.get("version"), Map.of("assignee", "agent-7", "priority", "high")));
        t = move(t, "resolved");
        assertThat(Api.sla(t)).extractingByKey("resolvedAt").isNotNull();
        t = ok(call("ticket-rate", Map.of("ticketId", t.get("ticketId"), "score", 5, "comment", "quick")));
        t = move(t, "closed");
        Map<String, Object> read = ok(call("ticket-get", Map.of("ticketId", t.get("ticketId"))));
        assertThat(read).containsEntry("status", "closed").containsEntry("assignee", "agent-7");
        List<Map<String, Object>> history = Api.list(read, "history");
        assertThat(history)
                .extracting(h -> h.get("field") + ":" + h.get("from") + "->" + h.get("to"))
                .containsExactly(
                        "status:null->new",
                        "status:new->open",
                        "status:open->pending",
                        "status:pending->open",
                        "assignee:null->agent-7",
                        "priority:urgent->high",
                        "status:open->resolved",
                        "satisfaction:null->5",
                        "status:resolved->closed");
        assertThat(history).allSatisfy(h -> assertThat(h.get("actor")).isNotNull());
        assertThat(history.get(1).get("actor")).isEqualTo("agent-7");
    }

    static Stream<Arguments> illegalTransitions() {
        return Stream.of(
                Arguments.of(List.of(), "pending", "from new it can go to [open]"),
                Arguments.of(List.of(), "resolved", "from new it can go to [open]"),
                Arguments.of(List.of(), "closed", "from new it can go to [open]"),
                Arguments.of(List.of("open"), "new", "from open it can go to [pending, resolved]"),
                Arguments.of(List.of("open"), "closed", "from open it can go to [pending, resolved]"),
                Arguments.of(List.of("open", "pending"), "closed", "from pending it can go to [open, resolved]"),
                Arguments.of(List.of("open", "resolved"), "pending", "from resolved it can go to [open, closed]"),
                Arguments.of(List.of("open", "resolved", "closed"), "open", "closed is final"));
    }

    @ParameterizedTest(name = "{0} then {1}")
    @MethodSource("illegalTransitions")
    void anIllegalTransitionIsAConflictThatSaysWhatIsAllowed(List<String> path, String to, String allowed) {
        Map<String, Object> t = create("cust-2", "support", "normal");
        for (String step : path) {
            t = move(t, step);
        }
        update(t.get("ticketId"), t.get("version"), Map.of("status", to))
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(allowed));
        assertThat(ok(call("ticket-get", Map.of("ticketId", t.get("ticketId")))))
                .containsEntry("version", t.get("version"));
    }

    @Test
    void twoUpdatesOfTheSameVersionAtOnceOneWinsTheOtherIsToldWhy() throws Exception {
        Map<String, Object> t = create("cust-3", "support", "low");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Callable<Integer>> racers = List.of(
                () -> update(t.get("ticketId"), 1, Map.of("assignee", "ana")).statusCode(),
                () -> update(t.get("ticketId"), 1, Map.of("assignee", "bo")).statusCode());
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(racers, 30, TimeUnit.SECONDS)) {
            codes.add(f.get());
        }
        pool.shutdown();
        assertThat(codes).containsExactlyInAnyOrder(200, 409);
        Map<String, Object> read = ok(call("ticket-get", Map.of("ticketId", t.get("ticketId"))));
        assertThat(read).containsEntry("version", 2);
        assertThat((List<?>) read.get("history")).hasSize(2);
        update(t.get("ticketId"), 1, Map.of("assignee", "cy"))
                .then()
                .statusCode(409)
                .body("detail", containsString("is at version 2, not 1"));
    }

    @Test
    void theSameIdempotencyKeyTwiceGivesTheSameTicket() {
        Map<String, Object> body = Map.of(
                "customerId",
                "cust-4",
                "subject",
                "s",
                "description",
                "d",
                "queue",
                "q",
                "priority",
                "low",
                "channel",
                "app",
                "idempotencyKey",
                "form-submit-42");
        Object first = ok(call("ticket-create", body)).get("ticketId");
        Object second = ok(call("ticket-create", body)).get("ticketId");
        assertThat(second).isEqualTo(first);
        assertThat(ok(call("ticket-search", Map.of("customerId", "cust-4")))).containsEntry("total", 1);
    }

    @Test
    void theFirstPublicAgentCommentRecordsTheFirstResponse() {
        Map<String, Object> t = create("cust-5", "support", "high");
        Api.agentComment(t.get("ticketId"), "looking into it", true);
        Map<String, Object> afterNote = ok(call("ticket-get", Map.of("ticketId", t.get("ticketId"))));
        assertThat(Api.sla(afterNote)).containsEntry("firstResponseAt", null);
        Map<String, Object> answered = Api.agentComment(t.get("ticketId"), "found it", false);
        assertThat(Api.sla(answered)).extractingByKey("firstResponseAt").isNotNull();
        assertThat((List<?>) answered.get("comments")).hasSize(2);
    }

    @Test
    void ratingBeforeResolutionOrTwiceIsRefused() {
        Map<String, Object> t = create("cust-6", "support", "low");
        call("ticket-rate", Map.of("ticketId", t.get("ticketId"), "score", 4))
                .then()
                .statusCode(409)
                .body("detail", containsString("once it is resolved"));
        t = move(move(t, "open"), "resolved");
        ok(call("ticket-rate", Map.of("ticketId", t.get("ticketId"), "score", 4)));
        call("ticket-rate", Map.of("ticketId", t.get("ticketId"), "score", 5))
                .then()
                .statusCode(409)
                .body("detail", containsString("already rated 4"));
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of(
                        "ticket-create",
                        "{\"subject\":\"s\",\"description\":\"d\",\"queue\":\"q\","
                                + "\"priority\":\"low\",\"channel\":\"web\"}",
                        "customerId",
                        400,
                        "is required"),
                Arguments.of(
                        "ticket-create",
                        "{\"customerId\":\"c\",\"subject\":\"s\",\"description\":\"d\","
                                + "\"queue\":\"q\",\"priority\":\"asap\",\"channel\":\"web\"}",
                        "priority",
                        400,
                        "'asap' is not one of low, normal, high, urgent"),
                Arguments.of(
                        "ticket-rate",
                        "{\"ticketId\":\"00000000-0000-0000-0000-000000000001\",\"score\":6}",
                        "score",
                        400,
                        "between 1 and 5"),
                Arguments.of("ticket-get", "{\"ticketId\":\"not-a-uuid\"}", "ticketId", 400, "must be a UUID"),
                Arguments.of(
                        "ticket-get",
                        "{\"ticketId\":\"00000000-0000-0000-0000-000000000001\"}",
                        null,
                        404,
                        "does not exist"),
                Arguments.of(
                        "ticket-update",
                        "{\"ticketId\":\"00000000-0000-0000-0000-000000000001\"," + "\"status\":\"open\"}",
                        "version",
                        400,
                        "the version you last read"),
                Arguments.of("ticket-search", "{\"size\":1000}", "size", 400, "between 1 and 200"),
                Arguments.of("ticket-create", "{\"customerId\":", null, 400, "not valid JSON"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badRequests")
    void badInputIsAProblemNamingTheField(String function, String body, String field, int status, String message) {
        long before = (Long)
                Long.valueOf(ok(call("ticket-search", Map.of())).get("total").toString());
        var r = call(function, body);
        r.then().statusCode(status).contentType("application/problem+json").body("detail", containsString(message));
        if (field != null) {
            r.then().body("field", equalTo(field));
        }
        assertThat(Long.valueOf(ok(call("ticket-search", Map.of())).get("total").toString()))
                .isEqualTo(before);
    }
}
