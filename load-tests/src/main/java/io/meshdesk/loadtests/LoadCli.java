package io.meshdesk.loadtests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/meshdesk-load <scenario>}: starts the real etcd, PostgreSQL and function instances a
 * scenario needs on loopback, runs it within its bounds, stops everything, and writes
 * {@code summary.json} and {@code report.html} under {@code load-tests/target/reports/<scenario>/}.
 */
@Command(
        name = "meshdesk-load",
        mixinStandardHelpOptions = true,
        description = "Load scenarios and benchmarks for meshdesk, on this machine's loopback only.",
        subcommands = {
            LoadCli.RoutingBurstCommand.class,
            LoadCli.ChatCommand.class,
            LoadCli.TicketChurnCommand.class,
            LoadCli.AssignmentCommand.class,
            LoadCli.ChatDeliveryCommand.class,
            LoadCli.StreamsCommand.class,
            LoadCli.StartTimeCommand.class
        })
public final class LoadCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadCli())
                .registerConverter(Duration.class, LoadCli::duration)
                .execute(args));
    }

    /** Durations as people write them: 500ms, 30s, 2m, 1h (or ISO-8601, PT30S). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        return Duration.parse(t.startsWith("pt") ? t : "PT" + t);
    }

    /** Where the repository is and where reports go. */
    static final class Where {
        @Option(
                names = "--repo",
                description = "The meshdesk repository (default: the current directory).",
                defaultValue = ".")
        Path repo;

        @Option(names = "--out", description = "Report directory (default: load-tests/target/reports/<scenario>).")
        Path out;

        Path out(String scenario) {
            return out != null ? out : repo.resolve("load-tests/target/reports").resolve(scenario);
        }

        Path repo() {
            return repo.toAbsolutePath().normalize();
        }
    }

    abstract static class Run implements Callable<Integer> {
        @Mixin
        Where where;

        abstract String scenario();

        abstract Report run(Path repo) throws Exception;

        @Override
        public Integer call() throws Exception {
            System.out.println("running " + scenario() + " (servers start on loopback; this takes a while)");
            Report report = run(where.repo());
            Path summary = report.write(where.out(scenario()));
            report.figures().forEach((k, v) -> System.out.printf("  %-32s %s%n", k, v));
            System.out.println("report: " + summary.getParent().resolve("report.html"));
            System.out.println("summary: " + summary);
            return 0;
        }
    }

    @Command(
            name = "routing-burst",
            description = "Agents register and heartbeat; sessions arrive at a rising rate; agents close them.")
    static final class RoutingBurstCommand extends Run {
        @Option(
                names = "--duration",
                defaultValue = "60s",
                description = "How long sessions arrive (default ${DEFAULT-VALUE}).")
        Duration duration;

        @Option(
                names = "--rate",
                defaultValue = "200",
                description = "Peak arrivals per second (default ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--agents", defaultValue = "50", description = "Agents (default ${DEFAULT-VALUE}).")
        int agents;

        @Option(
                names = "--max-in-flight",
                defaultValue = "256",
                description = "Sessions open at once before the driver sheds (default ${DEFAULT-VALUE}).")
        int maxInFlight;

        String scenario() {
            return "routing-burst";
        }

        Report run(Path repo) {
            try (Platform p = Platform.start(repo).routing(2)) {
                return RoutingBurst.run(
                        p, new RoutingBurst.Parameters(duration, rate, agents, maxInFlight, Duration.ofMillis(200)));
            }
        }
    }

    @Command(
            name = "chat",
            description = "Concurrent conversations across two chat instances, at a human pace or a flood.")
    static final class ChatCommand extends Run {
        @Option(names = "--duration", defaultValue = "60s")
        Duration duration;

        @Option(names = "--sessions", defaultValue = "50")
        int sessions;

        @Option(
                names = "--pace",
                defaultValue = "2s",
                description = "Time between a side's messages; 0s floods (default ${DEFAULT-VALUE}).")
        Duration pace;

        String scenario() {
            return "chat";
        }

        Report run(Path repo) {
            try (Platform p = Platform.start(repo).routing(1).chat(2)) {
                return ChatConversations.run(p, new ChatConversations.Parameters(duration, sessions, pace));
            }
        }
    }

    @Command(name = "ticket-churn", description = "Workers create, comment, update and search tickets.")
    static final class TicketChurnCommand extends Run {
        @Option(names = "--duration", defaultValue = "60s")
        Duration duration;

        @Option(names = "--workers", defaultValue = "8")
        int workers;

        String scenario() {
            return "ticket-churn";
        }

        Report run(Path repo) {
            try (Platform p = Platform.start(repo).ticketing()) {
                return TicketChurn.run(p, new TicketChurn.Parameters(duration, workers));
            }
        }
    }

    @Command(
            name = "bench-assignment",
            description = "Assignments per second vs raw etcd transactions per second; decision P99 at a fixed rate.")
    static final class AssignmentCommand extends Run {
        @Option(names = "--concurrency", defaultValue = "32")
        int concurrency;

        @Option(names = "--sessions", defaultValue = "5000")
        int sessions;

        @Option(names = "--fixed-rate", defaultValue = "500")
        int fixedRate;

        @Option(names = "--fixed-rate-duration", defaultValue = "20s")
        Duration fixedRateDuration;

        @Option(
                names = "--warm-up",
                defaultValue = "5s",
                description = "Left out of both rates at the start (default: ${DEFAULT-VALUE}).")
        Duration warmUp;

        String scenario() {
            return "bench-assignment";
        }

        Report run(Path repo) throws Exception {
            try (Platform p = Platform.start(repo).routing(1)) {
                return AssignmentBenchmark.run(
                        p,
                        new AssignmentBenchmark.Parameters(
                                concurrency, sessions, fixedRate, fixedRateDuration, warmUp));
            }
        }
    }

    @Command(
            name = "bench-chat-delivery",
            description = "Chat delivery P99 across two instances vs raw etcd put-to-watch P99.")
    static final class ChatDeliveryCommand extends Run {
        @Option(names = "--rate", defaultValue = "200")
        int rate;

        @Option(names = "--messages", defaultValue = "4000", description = "Messages measured, after the warm-up.")
        int messages;

        @Option(
                names = "--warm-up",
                defaultValue = "5s",
                description = "Time at the same rate before measuring, on both paths (default: ${DEFAULT-VALUE}).")
        Duration warmUp;

        String scenario() {
            return "bench-chat-delivery";
        }

        Report run(Path repo) throws Exception {
            try (Platform p = Platform.start(repo).routing(1).chat(2)) {
                return ChatDeliveryBenchmark.run(
                        p, new ChatDeliveryBenchmark.Parameters(rate, messages, (int) warmUp.toSeconds()));
            }
        }
    }

    @Command(name = "bench-streams", description = "Concurrent streams one chat instance holds in 512 MB.")
    static final class StreamsCommand extends Run {
        @Option(names = "--max-streams", defaultValue = "5000")
        int maxStreams;

        @Option(names = "--batch", defaultValue = "250")
        int batch;

        String scenario() {
            return "bench-streams";
        }

        Report run(Path repo) {
            try (Platform p = Platform.start(repo).routing(1).chat(1, "-Xmx512m")) {
                return StreamCapacityBenchmark.run(p, new StreamCapacityBenchmark.Parameters(maxStreams, batch));
            }
        }
    }

    @Command(
            name = "bench-start-time",
            description = "Each function's \"started in\" vs a bare Quarkus app of the same build.")
    static final class StartTimeCommand extends Run {
        @Option(names = "--starts", defaultValue = "3")
        int starts;

        String scenario() {
            return "bench-start-time";
        }

        Report run(Path repo) throws Exception {
            try (Platform p = Platform.start(repo)) {
                return StartTimeBenchmark.run(p, new StartTimeBenchmark.Parameters(starts));
            }
        }
    }
}
