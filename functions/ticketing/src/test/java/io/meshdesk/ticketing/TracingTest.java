package io.meshdesk.ticketing;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The second half of a journey: the session-closed event routing sends carries its trace in
 * the traceparent header, and everything ticketing does with it (the handler, each SQL
 * statement) lands in that same trace.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@Timeout(60)
class TracingTest {

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theTicketForAClosedSessionIsInTheTraceOfTheEvent() {
        String trace = "5c1ab1e0c0ffee0000000000000000" + "2a";
        Api.event("tr-1@4", "meshdesk.session.closed")
                .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
                .body(TicketEventsTest.session("tr-1", "unresolved"))
                .post("/")
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 204));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<SpanData> journey = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(trace))
                    .toList();
            assertThat(journey)
                    .as("the server span continues the sender's trace")
                    .anyMatch(s -> s.getKind() == SpanKind.SERVER
                            && s.getParentSpanId().equals("00f067aa0ba902b7"));
            assertThat(journey)
                    .as("SQL statements are spans of the same trace")
                    .anyMatch(s -> s.getKind() == SpanKind.CLIENT
                            && s.getAttributes().asMap().keySet().toString().contains("db."));
        });
    }
}
