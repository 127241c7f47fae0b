package io.meshdesk.meshconfig.cli;

import java.nio.file.Path;

import io.meshdesk.meshconfig.model.MeshConfig;

import picocli.CommandLine.Option;

/** Where the sources and the rendered files are; the defaults fit a run from the repository root. */
public class Sources {

    @Option(
            names = "--topology",
            defaultValue = "mesh-config/topology.yaml",
            description = "The topology file (default: ${DEFAULT-VALUE}).")
    Path topology;

    @Option(
            names = "--canaries",
            defaultValue = "mesh-config/canaries",
            description = "The folder of canary files (default: ${DEFAULT-VALUE}).")
    Path canaries;

    @Option(
            names = "--root",
            defaultValue = ".",
            description =
                    "Repository root; rendered files go to <root>/istio and <root>/knative (default: ${DEFAULT-VALUE}).")
    Path root;

    MeshConfig load() {
        return MeshConfig.load(topology, canaries);
    }
}
