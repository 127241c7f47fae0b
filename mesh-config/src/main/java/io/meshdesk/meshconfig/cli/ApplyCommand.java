package io.meshdesk.meshconfig.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshdesk.meshconfig.cluster.ClusterSync;
import io.meshdesk.meshconfig.model.Topology;
import io.meshdesk.meshconfig.render.Manifests;
import io.meshdesk.meshconfig.validate.Finding;
import io.meshdesk.meshconfig.validate.Validation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = "Applies a region's rendered resources to its cluster (idempotent) and removes the ones "
                + "meshdesk manages that are no longer rendered. In a multi-primary mesh every cluster needs its "
                + "own copy: --all applies every region to its own cluster, in topology order, and stops at the "
                + "first region that fails.")
final class ApplyCommand implements Callable<Integer> {

    @Mixin
    Sources sources;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--all", description = "Every region, each to the cluster the topology names.")
    boolean all;

    @Option(names = "--dry-run", description = "Say what would change; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Topology topology = sources.load().topology();
        if (all) {
            cluster.requireOneRegion("--all");
        }
        List<Topology.Region> regions = all ? topology.regions() : List.of(cluster.region(topology));
        Validation validation = new Validation(topology);
        List<String> applied = new ArrayList<>();
        for (Topology.Region region : regions) {
            int code = applyOne(region, validation);
            if (code != 0) {
                if (regions.size() > 1) {
                    List<String> rest = regions.stream()
                            .map(Topology.Region::name)
                            .filter(n -> !applied.contains(n) && !n.equals(region.name()))
                            .toList();
                    System.out.println("stopped at " + region.name() + ": " + (dryRun ? "checked " : "applied ")
                            + (applied.isEmpty() ? "no region" : String.join(", ", applied))
                            + (rest.isEmpty() ? "" : "; not tried: " + String.join(", ", rest)));
                }
                return code;
            }
            applied.add(region.name());
        }
        return 0;
    }

    private int applyOne(Topology.Region region, Validation validation) {
        var rendered = Manifests.read(sources.root, region.name());
        List<Finding> findings = new ArrayList<>(validation.check(rendered));
        if (!findings.isEmpty()) {
            findings.forEach(f -> System.out.println("error: " + f));
            System.out.println("not applied: " + region.name() + " has " + findings.size()
                    + " problems; fix them and run bin/meshctl render");
            return 1;
        }
        try (ClusterOptions.Cluster c = cluster.connect(region)) {
            try {
                ClusterSync.Plan plan = new ClusterSync(c.client()).sync(rendered, dryRun);
                if (!plan.problems().isEmpty()) {
                    plan.problems().forEach(p -> System.out.println("error: " + p));
                    System.out.println("not applied: " + region.name() + " (nothing was changed)");
                    return 1;
                }
                plan.changes().forEach(ch -> System.out.println(region.name() + ": " + (dryRun ? "would " : "") + ch));
                long changed = plan.changes().stream()
                        .filter(ch -> ch.action() != ClusterSync.Action.UNCHANGED)
                        .count();
                System.out.println(region.name() + ": " + changed + (dryRun ? " changes to make" : " changes made")
                        + ", " + (plan.changes().size() - changed) + " unchanged");
                return 0;
            } catch (KubernetesClientException e) {
                throw new ClusterError(region.name(), c.context(), c.server(), e);
            }
        }
    }
}
