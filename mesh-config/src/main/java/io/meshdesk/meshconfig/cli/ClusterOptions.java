package io.meshdesk.meshconfig.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshdesk.meshconfig.model.ConfigError;
import io.meshdesk.meshconfig.model.Topology;

import picocli.CommandLine.Option;

/**
 * Which region, and which kube context reaches its cluster. The context must be in the
 * kubeconfig: a missing one is refused before anything connects, never replaced by whatever
 * context happens to be current (that cluster would be written and pruned).
 */
public class ClusterOptions {

    @Option(names = "--region", description = "The region (as named in the topology).")
    String region;

    @Option(
            names = "--context",
            description = "kube context to use instead of the region's cluster from the "
                    + "topology (one region at a time).")
    String context;

    @Option(names = "--kubeconfig", description = "The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).")
    Path kubeconfig;

    Topology.Region region(Topology topology) {
        if (region == null) {
            throw new ConfigError(
                    "command line",
                    "--region",
                    "name a region: "
                            + topology.regions().stream()
                                    .map(Topology.Region::name)
                                    .toList());
        }
        return topology.region(region)
                .orElseThrow(() -> new ConfigError(
                        "command line",
                        "--region",
                        "unknown region " + region + "; the topology has "
                                + topology.regions().stream()
                                        .map(Topology.Region::name)
                                        .toList()));
    }

    /** Refuses --context for several regions at once: one context cannot be every region's cluster. */
    void requireOneRegion(String why) {
        if (context != null) {
            throw new ConfigError(
                    "command line",
                    "--context",
                    "cannot be combined with " + why + "; each region uses the context the topology names");
        }
    }

    /** The context a region's commands use: --context when given, else the region's cluster. */
    String contextFor(Topology.Region r) {
        return context != null ? context : r.cluster();
    }

    /** Connects to a region's cluster through its context, which must be in the kubeconfig. */
    Cluster connect(Topology.Region r) {
        String ctx = contextFor(r);
        List<File> files = kubeconfigFiles();
        List<String> known = new ArrayList<>();
        for (File f : files) {
            io.fabric8.kubernetes.api.model.Config parsed = parse(f);
            for (NamedContext c : parsed.getContexts() == null ? List.<NamedContext>of() : parsed.getContexts()) {
                known.add(c.getName());
                if (c.getName().equals(ctx)) {
                    Config config = Config.fromKubeconfig(ctx, f);
                    // Fail fast and once: fabric8 would otherwise retry with backoff for a long while.
                    config.setRequestRetryBackoffLimit(0);
                    config.setConnectionTimeout(5_000);
                    config.setRequestTimeout(15_000);
                    KubernetesClient client =
                            new KubernetesClientBuilder().withConfig(config).build();
                    return new Cluster(client, ctx, config.getMasterUrl());
                }
            }
        }
        String source = context != null ? "--context " + ctx : "region " + r.name() + "'s cluster in the topology";
        throw new ConfigError(
                "kubeconfig " + files,
                context != null ? "--context" : "--region",
                "has no context " + ctx + " (" + source + "); it has " + known + ". Add the context to the "
                        + "kubeconfig, or name another one explicitly with --context");
    }

    private List<File> kubeconfigFiles() {
        if (kubeconfig != null) {
            if (!Files.isRegularFile(kubeconfig)) {
                throw new ConfigError(kubeconfig.toString(), "--kubeconfig", "does not exist");
            }
            return List.of(kubeconfig.toFile());
        }
        List<File> files = new ArrayList<>();
        for (String name : Config.getKubeconfigFilenames()) {
            File f = new File(name);
            if (f.isFile()) {
                files.add(f);
            }
        }
        if (files.isEmpty()) {
            throw new ConfigError(
                    "kubeconfig " + Config.getKubeconfigFilenames(),
                    null,
                    "no kubeconfig file " + "exists; set KUBECONFIG or pass --kubeconfig");
        }
        return files;
    }

    private static io.fabric8.kubernetes.api.model.Config parse(File f) {
        try {
            return Serialization.unmarshal(Files.readString(f.toPath()), io.fabric8.kubernetes.api.model.Config.class);
        } catch (IOException | RuntimeException e) {
            throw new ConfigError(
                    f.toString(),
                    null,
                    "is not a kubeconfig meshctl can read: "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** A connected cluster and how it was reached, for messages. */
    record Cluster(KubernetesClient client, String context, String server) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }
}
