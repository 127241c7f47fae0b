package io.meshdesk.meshconfig.cli;

import java.util.concurrent.Callable;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshdesk.meshconfig.cluster.ClusterSync;
import io.meshdesk.meshconfig.model.Topology;
import io.meshdesk.meshconfig.render.Manifests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Rendered versus live, per resource: what apply would create, update or remove. "
                + "Exit 1 when the cluster differs.")
final class DiffCommand implements Callable<Integer> {

    @Mixin
    Sources sources;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() {
        Topology.Region region = cluster.region(sources.load().topology());
        try (KubernetesClient client = cluster.connect(region)) {
            var changes = new ClusterSync(client).sync(Manifests.read(sources.root, region.name()), true);
            changes.forEach(System.out::println);
            boolean differs = changes.stream().anyMatch(c -> c.action() != ClusterSync.Action.UNCHANGED);
            System.out.println(differs ? region.name() + " differs from what is rendered" : region.name() + " is up to date");
            return differs ? 1 : 0;
        }
    }
}
