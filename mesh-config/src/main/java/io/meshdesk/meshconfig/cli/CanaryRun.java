package io.meshdesk.meshconfig.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshdesk.meshconfig.canary.CanaryMetrics;
import io.meshdesk.meshconfig.canary.Progress;
import io.meshdesk.meshconfig.canary.Rollout;
import io.meshdesk.meshconfig.canary.Webhooks;
import io.meshdesk.meshconfig.model.Canary;
import io.meshdesk.meshconfig.model.MeshConfig;
import io.meshdesk.meshconfig.model.Topology;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Drives the rollout to its end, region by region in topology order: the mirror phase, each "
                + "step held for the interval while its checks pass, then promotion; rolls back by itself. Picks up "
                + "where the cluster says a rollout is. Exit 0 promoted everywhere, 1 rolled back or aborted.")
final class CanaryRun implements Callable<Integer> {

    @Mixin
    CanaryCommand.Common common;

    @Parameters(index = "0", description = "The canary file.")
    Path file;

    @Option(names = "--regions", split = ",", description = "Only these regions (in topology order).")
    List<String> regions;

    @Option(
            names = "--poll",
            defaultValue = "1s",
            description = "How often to look for an abort or pause " + "(default: ${DEFAULT-VALUE}).")
    String poll;

    @Override
    public Integer call() throws InterruptedException {
        Topology t = common.topology();
        Canary c = common.canary(file, t);
        return drive(common, t, c, regions, Duration.ofMillis(MeshConfig.millis(poll)), common.metrics());
    }

    /** One canary through its regions; stops at the first region that does not promote. */
    static int drive(
            CanaryCommand.Common common, Topology t, Canary c, List<String> only, Duration poll, CanaryMetrics metrics)
            throws InterruptedException {
        for (Topology.Region region : common.regions(t, c, only)) {
            try (ClusterOptions.Cluster cluster = common.cluster.connect(region)) {
                Progress p;
                try {
                    p = new Rollout(
                                    c,
                                    region.name(),
                                    cluster.client(),
                                    t.namespace(),
                                    common.analysis(region.name()),
                                    new Webhooks(),
                                    Clock.systemUTC(),
                                    System.out::println)
                            .withMetrics(metrics)
                            .run(poll);
                } catch (KubernetesClientException e) {
                    throw new ClusterError(region.name(), cluster.context(), cluster.server(), e);
                }
                if (p.status() != Progress.Status.promoted) {
                    System.out.println(c.function() + ": " + p.status() + " in " + region.name()
                            + "; the regions after it are not started");
                    return 1;
                }
            }
        }
        return 0;
    }
}
