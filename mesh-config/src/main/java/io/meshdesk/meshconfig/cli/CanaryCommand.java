package io.meshdesk.meshconfig.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.meshdesk.meshconfig.canary.Analysis;
import io.meshdesk.meshconfig.canary.CanaryMetrics;
import io.meshdesk.meshconfig.canary.Prometheus;
import io.meshdesk.meshconfig.canary.SliQueries;
import io.meshdesk.meshconfig.model.Canary;
import io.meshdesk.meshconfig.model.ConfigError;
import io.meshdesk.meshconfig.model.MeshConfig;
import io.meshdesk.meshconfig.model.Topology;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "canary",
        mixinStandardHelpOptions = true,
        description = "The canary controller: analyzes a rollout's checks, drives it through mirror, steps and "
                + "promotion (or rollback) by itself, and shows, pauses, resumes or aborts it from any machine that "
                + "reaches the cluster. Progress lives in the cluster (ConfigMap canary-<function>), never in Git.",
        subcommands = {
            CanaryAnalyze.class,
            CanaryRun.class,
            CanaryStatus.class,
            CanaryControl.Abort.class,
            CanaryControl.Pause.class,
            CanaryControl.Resume.class,
            CanaryController.class
        })
final class CanaryCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** What every canary subcommand shares: the sources, the cluster, and each region's Prometheus. */
    static class Common {
        @Mixin
        Sources sources;

        @Mixin
        ClusterOptions cluster;

        @Option(
                names = "--prometheus",
                description = "A region's Prometheus: URL (every region) or region=URL " + "(repeatable).")
        List<String> prometheus = new ArrayList<>();

        @Option(
                names = "--metrics-port",
                description = "Serve meshdesk_canary_weight, _phase, _decisions_total, _last_decision, "
                        + "_check_value and _check_verdict at /metrics on this port (run and controller; default: "
                        + "none).")
        Integer metricsPort;

        /** The controller's metrics, served when --metrics-port is given. */
        CanaryMetrics metrics() {
            CanaryMetrics m = new CanaryMetrics();
            if (metricsPort != null) {
                int port = m.serve("0.0.0.0", metricsPort);
                System.out.println("metrics at http://0.0.0.0:" + port + "/metrics");
            }
            return m;
        }

        Topology topology() {
            return MeshConfig.load(sources.topology, sources.canaries).topology();
        }

        Canary canary(Path file, Topology t) {
            return MeshConfig.loadCanary(file, t);
        }

        /** The regions to act on: --region, else the canary's, in topology order. */
        List<Topology.Region> regions(Topology t, Canary c, List<String> only) {
            List<String> wanted = only != null && !only.isEmpty()
                    ? only
                    : cluster.region != null ? List.of(cluster.region) : c.regions();
            for (String r : wanted) {
                if (!c.covers(r)) {
                    throw new ConfigError(
                            "command line",
                            "--region",
                            "the canary " + c.file() + " does not run in " + r + "; it runs in " + c.regions());
                }
            }
            return t.regions().stream().filter(r -> wanted.contains(r.name())).toList();
        }

        Analysis analysis(String region) {
            Map<String, URI> urls = new LinkedHashMap<>();
            URI all = null;
            for (String p : prometheus) {
                int eq = p.indexOf('=');
                if (eq > 0 && !p.startsWith("http")) {
                    urls.put(p.substring(0, eq), URI.create(p.substring(eq + 1)));
                } else {
                    all = URI.create(p);
                }
            }
            URI url = urls.getOrDefault(region, all);
            if (url == null) {
                throw new ConfigError(
                        "command line",
                        "--prometheus",
                        "no Prometheus for region " + region + "; pass --prometheus URL or --prometheus " + region
                                + "=URL");
            }
            return new Analysis(new Prometheus(url), SliQueries.load());
        }
    }
}
