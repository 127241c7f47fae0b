package io.meshdesk.meshconfig.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.meshdesk.meshconfig.model.Topology;
import io.meshdesk.meshconfig.render.Manifests;
import io.meshdesk.meshconfig.validate.Finding;
import io.meshdesk.meshconfig.validate.Validation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Checks the rendered files of every region against the Istio and Knative schemas and the "
                + "offline versions of Istio's analyzers (IST0109 conflicting or Knative-owned hosts, IST0101 missing "
                + "gateways, hosts and subsets), unserved gateway hosts, principals no workload runs as, revision "
                + "names, weights, durations and ranges. Exit 1 when anything is wrong.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    Sources sources;

    @Override
    public Integer call() {
        Topology topology = sources.load().topology();
        Validation validation = new Validation(topology);
        int problems = 0;
        int resources = 0;
        for (Topology.Region region : topology.regions()) {
            var rendered = Manifests.read(sources.root, region.name());
            resources += rendered.size();
            List<Finding> findings = validation.check(rendered);
            findings.forEach(f -> System.out.println("error: " + f));
            problems += findings.size();
        }
        System.out.println(resources + " resources checked, " + problems + " problems");
        return problems == 0 ? 0 : 1;
    }
}
