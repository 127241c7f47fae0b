package io.meshdesk.meshconfig.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshdesk.meshconfig.cluster.ClusterSync;
import io.meshdesk.meshconfig.model.Topology;
import io.meshdesk.meshconfig.render.Manifests;
import io.meshdesk.meshconfig.validate.Finding;
import io.meshdesk.meshconfig.validate.Validation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Applies a region's rendered resources to its cluster (idempotent) and removes the ones "
                + "meshdesk manages that are no longer rendered. In a multi-primary mesh every cluster needs its "
                + "own copy: --all applies every region to its own cluster.")
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
        List<Topology.Region> regions = all ? topology.regions() : List.of(cluster.region(topology));
        Validation validation = new Validation();
        for (Topology.Region region : regions) {
            var rendered = Manifests.read(sources.root, region.name());
            List<Finding> findings = new ArrayList<>(validation.check(rendered));
            if (!findings.isEmpty()) {
                findings.forEach(f -> System.out.println("error: " + f));
                System.out.println("not applied: " + region.name() + " has " + findings.size()
                        + " problems; fix them and run bin/meshctl render");
                return 1;
            }
            try (KubernetesClient client = cluster.connect(region)) {
                var changes = new ClusterSync(client).sync(rendered, dryRun);
                changes.forEach(c -> System.out.println(region.name() + ": " + (dryRun ? "would " : "") + c));
                long changed = changes.stream().filter(c -> c.action() != ClusterSync.Action.UNCHANGED).count();
                System.out.println(region.name() + ": " + changed + (dryRun ? " changes to make" : " changes made")
                        + ", " + (changes.size() - changed) + " unchanged");
            }
        }
        return 0;
    }
}
