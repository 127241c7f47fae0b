package io.meshdesk.meshconfig.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.meshdesk.meshconfig.explain.Explainer;
import io.meshdesk.meshconfig.model.Topology;
import io.meshdesk.meshconfig.render.Manifests;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description =
                "Where a request goes: the ingress route that matches (by verified claim), the Knative "
                        + "Service and its revision split, the mirror, timeout and retries. Computed from the rendered resources.")
final class ExplainCommand implements Callable<Integer> {

    @Mixin
    Sources sources;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--function", required = true, description = "The function the request is for.")
    String function;

    @Option(names = "--header", description = "A header the client sends, k=v (repeatable).")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(
            names = "--claim",
            description = "A claim of the JWT the ingress verified, k=v (repeatable), e.g. tier=premium.")
    Map<String, String> claims = new LinkedHashMap<>();

    @Option(
            names = "--from-mesh",
            description = "The request comes from another function inside the mesh, not the ingress.")
    boolean fromMesh;

    @Override
    public Integer call() {
        Topology topology = sources.load().topology();
        Topology.Region region = cluster.region(topology);
        boolean viaIngress = !fromMesh
                && topology.function(function).map(Topology.Function::isPublic).orElse(false);
        var explanation = new Explainer(Manifests.read(sources.root, region.name()))
                .explain(region.name(), function, viaIngress, headers, claims);
        System.out.print(explanation.render());
        return 0;
    }
}
