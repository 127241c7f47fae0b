package io.meshdesk.meshconfig.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshdesk.meshconfig.canary.Analysis;
import io.meshdesk.meshconfig.canary.Check;
import io.meshdesk.meshconfig.canary.Decision;
import io.meshdesk.meshconfig.canary.Progress;
import io.meshdesk.meshconfig.canary.ProgressStore;
import io.meshdesk.meshconfig.model.Canary;
import io.meshdesk.meshconfig.model.ConfigError;
import io.meshdesk.meshconfig.model.Topology;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = "Runs every check of the canary once, now, and prints the decision log: per check the exact "
                + "PromQL, value, threshold, samples and verdict (pass, fail, no-data, error), then the decision. "
                + "Exit 0 advance, 1 rollback, 3 hold, 2 a bad file or command line, 4 Prometheus could not be "
                + "queried (verdict error: the decision is hold, and a rollout counts it toward nothing).")
final class CanaryAnalyze implements Callable<Integer> {

    static final int PROMETHEUS_UNREACHABLE = 4;

    @Mixin
    CanaryCommand.Common common;

    @Parameters(index = "0", description = "The canary file.")
    Path file;

    @Option(
            names = "--step",
            description = "The phase to analyze (0 is the mirror phase); default: the progress "
                    + "the cluster records, else the file's step.")
    Integer step;

    @Option(
            names = "--json",
            description = "One JSON object: checks (name, query, value, samples, verdict) and decision.")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        Topology t = common.topology();
        Canary c = common.canary(file, t);
        if (common.cluster.region == null) {
            throw new ConfigError("command line", "--region", "name the region to analyze: one of " + c.regions());
        }
        Topology.Region region = common.regions(t, c, null).get(0);
        Optional<Progress> progress = step != null ? Optional.empty() : recorded(region, t, c);
        // A rollout without a mirror phase starts at step 1, whatever the file says.
        int phase = step != null ? step : progress.map(Progress::step).orElse(Math.max(c.step(), c.mirrors() ? 0 : 1));
        int failures = progress.map(Progress::failures).orElse(0);
        List<Check> checks = common.analysis(region.name()).run(c, t.namespace());
        Decision decision = Analysis.decide(checks, c.analysis(), failures);
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("function", c.function());
            out.put("region", region.name());
            out.put("step", phase);
            out.put("weight", c.weight(phase));
            out.put("checks", checks);
            out.put("decision", decision);
            System.out.println(new ObjectMapper()
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .writeValueAsString(out));
        } else {
            System.out.println(c.function() + " " + c.canaryVersion() + " in " + region.name() + ", step " + phase
                    + " (" + (phase == 0 && c.mirrors() ? "mirror" : c.weight(phase) + "%") + "), failures so far "
                    + failures);
            checks.forEach(ch -> System.out.println(ch.line()));
            System.out.println("decision: " + decision);
        }
        // Prometheus down is not low traffic: say so by the exit code, as for a cluster that cannot be reached.
        if (decision == Decision.HOLD && Analysis.unreachable(checks).isPresent()) {
            return PROMETHEUS_UNREACHABLE;
        }
        return decision.exitCode;
    }

    /** The progress the cluster records, when the region's context is in the kubeconfig. */
    private Optional<Progress> recorded(Topology.Region region, Topology t, Canary c) {
        try (ClusterOptions.Cluster cluster = common.cluster.connect(region)) {
            try {
                return new ProgressStore(cluster.client(), t.namespace()).read(c.function());
            } catch (KubernetesClientException e) {
                throw new ClusterError(region.name(), cluster.context(), cluster.server(), e);
            }
        } catch (ConfigError noContext) {
            return Optional.empty();
        }
    }
}
