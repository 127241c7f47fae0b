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

/**
 * Each function's JVM start ("started in" as Quarkus reports it) against a bare Quarkus app of
 * the same build, started the same way on the same machine in the same run; median of a few
 * starts each. Target: a function starts within 1.0 s of the bare app.
 */
final class StartTimeBenchmark {

    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

    record Parameters(int starts) {
    }

    static Report run(Platform platform, Parameters p) {
        Path baseline = platform.root().resolve("load-tests/baseline-app/target/quarkus-app/quarkus-run.jar");
        Map<String, Double> median = new LinkedHashMap<>();
        median.put("baseline", medianStart(platform, "baseline", baseline, p.starts()));
        for (String f : List.of("routing", "chat", "ticketing")) {
            median.put(f, medianStart(platform, f, null, p.starts()));
        }
        Report report = new Report("bench-start-time").parameter("starts_each", p.starts());
        median.forEach((name, seconds) -> report.figure(name + "_started_in_s", seconds));
        double worst = 0;
        for (String f : List.of("routing", "chat", "ticketing")) {
            double over = median.get(f) - median.get("baseline");
            report.figure(f + "_over_baseline_s", over);
            worst = Math.max(worst, over);
        }
        return report.figure("worst_over_baseline_s", worst).figure("target_at_most_s", 1.0)
                .note("\"started in\" is Quarkus's own figure from process start to ready to serve; each function is "
                        + "started with its real dependencies (etcd, the embedded PostgreSQL for ticketing) available.");
    }

    private static double medianStart(Platform platform, String name, Path jar, int starts) {
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            FunctionInstance.Builder b = FunctionInstance.of(platform.root(), name).workDir(platform.work())
                    .property("meshdesk.etcd.endpoints", platform.etcd().endpointsCsv())
                    .property("meshdesk.session-token.secret", Platform.SECRET)
                    .property("meshdesk.data-dir", platform.work().resolve("start-" + name).toString());
            if (jar != null) {
                b.jar(jar);
            } else {
                b.property("quarkus.log.console.json.enabled", "false");
            }
            try (FunctionInstance f = b.start()) {
                seconds.add(startedIn(f.log()));
            }
        }
        Collections.sort(seconds);
        return seconds.get(seconds.size() / 2);
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
