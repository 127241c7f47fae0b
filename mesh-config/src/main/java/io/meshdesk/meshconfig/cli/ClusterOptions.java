package io.meshdesk.meshconfig.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meshdesk.meshconfig.model.ConfigError;
import io.meshdesk.meshconfig.model.Topology;
import picocli.CommandLine.Option;

/** Which region, and which kube context reaches its cluster. */
public class ClusterOptions {

    /** Tests point contexts at mock servers; the CLI uses kubeconfig. */
    public interface Connector {
        KubernetesClient connect(String context);
    }

    static Connector connector = context -> new KubernetesClientBuilder()
            .withConfig(Config.autoConfigure(context)).build();

    @Option(names = "--region", description = "The region (as named in the topology).")
    String region;

    @Option(names = "--context", description = "kube context to use instead of the region's cluster from the topology.")
    String context;

    Topology.Region region(Topology topology) {
        if (region == null) {
            throw new ConfigError("command line", "--region", "name a region: " + topology.regions().stream()
                    .map(Topology.Region::name).toList());
        }
        return topology.region(region).orElseThrow(() -> new ConfigError("command line", "--region",
                "unknown region " + region + "; the topology has " + topology.regions().stream()
                        .map(Topology.Region::name).toList()));
    }

    KubernetesClient connect(Topology.Region r) {
        return connector.connect(context != null ? context : r.cluster());
    }

    public static void useConnector(Connector c) {
        connector = c;
    }
}
