package io.meshdesk.loadtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.meshdesk.localservers.FunctionInstance;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Each function's JVM start ("started in" as Quarkus reports it) against a bare Quarkus app of
 * the same build, started the same way on the same machine in the same run; median of a few
 * starts each. Target: a function starts within 1.0 s of the bare app.
 *
 * Every app is measured twice: as a plain JVM, and with an AppCDS archive written by one
 * training start before (as a container image build would do), which is how meshdesk ships.
 * Also the time from launching the JVM to the first 200 on /q/health/ready, which is what a
 * Knative cold start waits for. Ticketing connects to a PostgreSQL that is already running, as
 * in production.
 */
final class StartTimeBenchmark {

    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");
    private static final List<String> FUNCTIONS = List.of("routing", "chat", "ticketing");

    record Parameters(int starts) {}

    /** How an app's JVM is started. */
    private enum Mode {
        PLAIN(""),
        CDS("_cds");

        final String suffix;

        Mode(String suffix) {
            this.suffix = suffix;
        }
    }

    /** Median "started in" and median launch-to-ready of one app in one mode. */
    private record Start(double startedIn, double readyIn) {}

    static Report run(Platform platform, Parameters p) throws IOException {
        Path baselineJar = platform.root().resolve("load-tests/baseline-app/target/quarkus-app/quarkus-run.jar");
        Report report = new Report("bench-start-time").parameter("starts_each", p.starts());
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(platform.work().resolve("start-time-postgres"))
                .setCleanDataDirectory(true)
                .start()) {
            Map<String, String> database = Map.of(
                    "quarkus.datasource.jdbc.url",
                    postgres.getJdbcUrl("postgres", "postgres"),
                    "quarkus.datasource.username",
                    "postgres",
                    "quarkus.datasource.password",
                    "postgres");
            for (Mode mode : Mode.values()) {
                Map<String, Start> median = new LinkedHashMap<>();
                median.put("baseline", medianStart(platform, "baseline", baselineJar, Map.of(), mode, p.starts()));
                for (String f : FUNCTIONS) {
                    median.put(
                            f,
                            medianStart(
                                    platform, f, null, f.equals("ticketing") ? database : Map.of(), mode, p.starts()));
                }
                median.forEach(
                        (name, start) -> report.figure(name + "_started_in" + mode.suffix + "_s", start.startedIn())
                                .figure(name + "_ready_in" + mode.suffix + "_s", start.readyIn()));
                double worst = 0;
                for (String f : FUNCTIONS) {
                    double over =
                            median.get(f).startedIn() - median.get("baseline").startedIn();
                    report.figure(f + "_over_baseline" + mode.suffix + "_s", over);
                    worst = Math.max(worst, over);
                }
                report.figure("worst_over_baseline" + mode.suffix + "_s", worst);
            }
        }
        return report.figure("target_at_most_s", 1.0)
                .note("\"started in\" is Quarkus's own figure from process start to serving HTTP; ready_in is from "
                        + "launching the JVM to the first 200 on /q/health/ready (polled every 50 ms), which includes "
                        + "the first etcd load that happens after start.")
                .note("_cds figures: each app (the baseline too) ran once to write its AppCDS archive "
                        + "(-XX:ArchiveClassesAtExit), and the measured starts map it (-XX:SharedArchiveFile).")
                .note("Each function starts with its real dependencies running: etcd, and for ticketing a "
                        + "PostgreSQL started once for the run.");
    }

    private static Start medianStart(
            Platform platform, String name, Path jar, Map<String, String> properties, Mode mode, int starts) {
        Path archive = platform.work().resolve("cds").resolve(name + ".jsa");
        if (mode == Mode.CDS) {
            train(platform, name, jar, properties, archive);
        }
        List<Double> seconds = new ArrayList<>();
        List<Double> ready = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            long launched = System.nanoTime();
            try (FunctionInstance f = start(platform, name, jar, properties, mode == Mode.CDS ? archive : null)) {
                ready.add((System.nanoTime() - launched) / 1e9);
                seconds.add(startedIn(f.log()));
            }
        }
        return new Start(median(seconds), median(ready));
    }

    private static FunctionInstance start(
            Platform platform, String name, Path jar, Map<String, String> properties, Path archive) {
        FunctionInstance.Builder b = FunctionInstance.of(platform.root(), name)
                .workDir(platform.work())
                .property("meshdesk.etcd.endpoints", platform.etcd().endpointsCsv())
                .property("meshdesk.session-token.secret", Platform.SECRET)
                .property(
                        "meshdesk.data-dir",
                        platform.work().resolve("start-" + name).toString());
        properties.forEach(b::property);
        if (jar != null) {
            b.jar(jar);
        } else {
            b.property("quarkus.log.console.json.enabled", "false");
        }
        if (archive != null) {
            b.classDataArchive(archive);
        }
        return b.start();
    }

    /** One start that writes the app's class-data archive when its JVM exits. */
    private static void train(Platform platform, String name, Path jar, Map<String, String> properties, Path archive) {
        try {
            Files.deleteIfExists(archive);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FunctionInstance training = start(platform, name, jar, properties, archive);
        training.close();
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the JVM of " + name + " wrote no class-data archive at " + archive
                    + "; its log: " + training.log());
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Quarkus may answer its first request a moment before it logs "started in". */
    private static double startedIn(Path log) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        do {
            try {
                Matcher m = STARTED.matcher(Files.readString(log));
                double last = -1;
                while (m.find()) {
                    last = Double.parseDouble(m.group(1));
                }
                if (last >= 0) {
                    return last;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Pause.millis(50);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("no \"started in\" line in " + log);
    }
}
