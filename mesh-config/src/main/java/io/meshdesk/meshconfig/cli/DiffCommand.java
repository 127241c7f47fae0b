package io.meshdesk.meshconfig.cli;

import java.util.concurrent.Callable;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshdesk.meshconfig.cluster.ClusterSync;
import io.meshdesk.meshconfig.model.Topology;
import io.meshdesk.meshconfig.render.Manifests;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = "Rendered versus live, per resource: what apply would create, update or remove, and traffic "
                + "that names a revision the cluster does not have. Exit 1 when the cluster differs.")
final class DiffCommand implements Callable<Integer> {

    @Mixin
    Sources sources;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() {
        Topology.Region region = cluster.region(sources.load().topology());
        try (ClusterOptions.Cluster c = cluster.connect(region)) {
            ClusterSync.Plan plan;
            try {
                plan = new ClusterSync(c.client()).sync(Manifests.read(sources.root, region.name()), true);
            } catch (KubernetesClientException e) {
                throw new ClusterError(region.name(), c.context(), c.server(), e);
            }
            plan.changes().forEach(System.out::println);
            plan.problems().forEach(p -> System.out.println("error: " + p));
            boolean differs = !plan.problems().isEmpty()
                    || plan.changes().stream().anyMatch(ch -> ch.action() != ClusterSync.Action.UNCHANGED);
            System.out.println(
                    differs ? region.name() + " differs from what is rendered" : region.name() + " is up to date");
            return differs ? 1 : 0;
        }
    }
}
