package io.meshdesk.loadtests;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short run of every scenario and benchmark through the same command line a person uses: the
 * harness starts what it needs, drives it, stops it and writes both reports with real counts.
 * Speeds are not asserted here (they are the benchmarks' business, as ratios, in docs/performance.md).
 */
class SmokeTest {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @Test
    void routingBurst(@TempDir Path out) throws Exception {
        JsonNode s = run(out, "routing-burst", "--duration", "4s", "--rate", "40", "--agents", "5");
        assertThat(s.at("/operations/session-route/count").asLong()).isPositive();
        assertThat(s.at("/operations/session-route/seconds").size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void chatConversations(@TempDir Path out) throws Exception {
        JsonNode s = run(out, "chat", "--duration", "3s", "--sessions", "3", "--pace", "200ms");
        assertThat(s.at("/figures/messages_delivered").asLong()).isPositive();
        assertThat(s.at("/figures/not_delivered_within_10s").asLong()).isZero();
    }

    @Test
    void ticketChurn(@TempDir Path out) throws Exception {
        JsonNode s = run(out, "ticket-churn", "--duration", "3s", "--workers", "2");
        assertThat(s.at("/figures/tickets_created").asLong()).isPositive();
        assertThat(s.at("/figures/errors").asLong()).isZero();
    }

    @Test
    void assignmentBenchmark(@TempDir Path out) throws Exception {
        JsonNode s = run(
                out,
                "bench-assignment",
                "--concurrency",
                "4",
                "--sessions",
                "200",
                "--fixed-rate",
                "50",
                "--fixed-rate-duration",
                "2s",
                "--warm-up",
                "0s");
        assertThat(s.at("/figures/raw_etcd_txn_per_s").asDouble()).isPositive();
        assertThat(s.at("/figures/ratio_assigned_to_raw_txn").asDouble()).isPositive();
    }

    @Test
    void chatDeliveryBenchmark(@TempDir Path out) throws Exception {
        JsonNode s = run(out, "bench-chat-delivery", "--rate", "50", "--messages", "100", "--warm-up", "1s");
        assertThat(s.at("/figures/ratio_chat_to_raw_p99").asDouble()).isPositive();
        assertThat(s.at("/operations/raw etcd put to watch event/seconds/0/warmUp")
                        .asBoolean())
                .isTrue();
        assertThat(s.at("/operations/raw etcd put to watch event/seconds/1/warmUp")
                        .asBoolean())
                .isFalse();
        assertThat(s.at("/figures/chat_not_delivered").asLong()).isZero();
    }

    @Test
    void streamCapacityBenchmark(@TempDir Path out) throws Exception {
        JsonNode s = run(out, "bench-streams", "--max-streams", "30", "--batch", "10");
        assertThat(s.at("/figures/streams_held").asLong()).isEqualTo(30);
    }

    @Test
    void startTimeBenchmark(@TempDir Path out) throws Exception {
        JsonNode s = run(out, "bench-start-time", "--starts", "1");
        assertThat(s.at("/figures/baseline_started_in_s").asDouble()).isPositive();
        assertThat(s.at("/figures/routing_started_in_s").asDouble()).isPositive();
        assertThat(s.at("/figures/routing_started_in_cds_s").asDouble()).isPositive();
        assertThat(s.at("/figures/ticketing_ready_in_cds_s").asDouble()).isPositive();
    }

    private static JsonNode run(Path out, String... args) throws Exception {
        String[] full = new String[args.length + 4];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--repo";
        full[args.length + 1] = REPO.toString();
        full[args.length + 2] = "--out";
        full[args.length + 3] = out.toString();
        int exit = new CommandLine(new LoadCli())
                .registerConverter(java.time.Duration.class, LoadCli::duration)
                .execute(full);
        assertThat(exit).as("meshdesk-load %s exit code", args[0]).isZero();
        JsonNode summary =
                new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        // A smoke run that only counts is no check: every call the driver made must have succeeded.
        summary.path("operations")
                .fields()
                .forEachRemaining(op -> assertThat(op.getValue().path("errors").asLong())
                        .as("%s: failed calls of %s", args[0], op.getKey())
                        .isZero());
        summary.path("figures").fields().forEachRemaining(f -> {
            if (f.getKey().endsWith("errors")) {
                assertThat(f.getValue().asLong())
                        .as("%s: figure %s", args[0], f.getKey())
                        .isZero();
            }
        });
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<h2>Figures</h2>");
        if (summary.path("operations").size() > 0) {
            assertThat(html).as("plots of every timed operation").contains("data:image/png;base64,");
        }
        return summary;
    }
}
