package io.meshdesk.meshconfig.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshdesk.meshconfig.canary.Progress;
import io.meshdesk.meshconfig.canary.ProgressStore;
import io.meshdesk.meshconfig.model.Canary;
import io.meshdesk.meshconfig.model.Topology;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Where the rollout stands in each region, as the cluster records it, with its decision log.")
final class CanaryStatus implements Callable<Integer> {

    @Mixin
    CanaryCommand.Common common;

    @Parameters(index = "0", description = "The canary file.")
    Path file;

    @Option(
            names = "--last",
            defaultValue = "10",
            description = "How many decisions to show (the cluster keeps " + Progress.LOG_SIZE
                    + "; default: ${DEFAULT-VALUE}).")
    int last;

    @Override
    public Integer call() {
        Topology t = common.topology();
        Canary c = common.canary(file, t);
        for (Topology.Region region : common.regions(t, c, null)) {
            try (ClusterOptions.Cluster cluster = common.cluster.connect(region)) {
                try {
                    var p = new ProgressStore(cluster.client(), t.namespace()).read(c.function());
                    if (p.isEmpty()) {
                        System.out.println(region.name() + ": not started");
                        continue;
                    }
                    Progress pr = p.get();
                    System.out.println(region.name() + ": " + pr.status() + (pr.paused() ? " (paused)" : "")
                            + ", step " + pr.step() + " of " + c.weights().size() + ", candidate weight "
                            + c.weight(pr.step()) + "%, failures " + pr.failures() + "/"
                            + c.analysis().threshold()
                            + ", stable " + pr.stableRevision() + ", candidate " + pr.candidateRevision());
                    List<Progress.LogEntry> log = pr.log() == null ? List.of() : pr.log();
                    for (Progress.LogEntry e : log.subList(Math.max(0, log.size() - last), log.size())) {
                        System.out.println(
                                "  " + e.at() + " step " + e.step() + " " + e.decision() + ": " + e.reason());
                        e.checks()
                                .forEach(ch -> System.out.println("      " + ch.name() + " " + ch.verdict()
                                        + (ch.value() == null ? "" : " " + String.format("%.3f", ch.value()))
                                        + " samples "
                                        + ch.samples()));
                    }
                } catch (KubernetesClientException e) {
                    throw new ClusterError(region.name(), cluster.context(), cluster.server(), e);
                }
            }
        }
        return 0;
    }
}
