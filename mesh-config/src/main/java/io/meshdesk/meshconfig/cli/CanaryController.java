package io.meshdesk.meshconfig.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.meshdesk.meshconfig.canary.CanaryMetrics;
import io.meshdesk.meshconfig.model.Canary;
import io.meshdesk.meshconfig.model.MeshConfig;
import io.meshdesk.meshconfig.model.Topology;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "controller",
        mixinStandardHelpOptions = true,
        description = "Long-running: does `run` for every canary in the canaries folder, each in its own thread. "
                + "Its state is the cluster's, so a restarted controller picks every rollout up where it was.")
final class CanaryController implements Callable<Integer> {

    @Mixin
    CanaryCommand.Common common;

    @Option(
            names = "--poll",
            defaultValue = "1s",
            description = "How often each rollout looks for an abort or " + "pause (default: ${DEFAULT-VALUE}).")
    String poll;

    @Override
    public Integer call() throws Exception {
        MeshConfig config = MeshConfig.load(common.sources.topology, common.sources.canaries);
        Topology t = config.topology();
        if (config.canaries().isEmpty()) {
            System.out.println("no canaries in " + common.sources.canaries + "; nothing to do");
            return 0;
        }
        CanaryMetrics metrics = common.metrics();
        ExecutorService pool = Executors.newFixedThreadPool(config.canaries().size());
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (Canary c : config.canaries()) {
                runs.add(pool.submit(() ->
                        CanaryRun.drive(common, t, c, null, Duration.ofMillis(MeshConfig.millis(poll)), metrics)));
            }
            int worst = 0;
            for (Future<Integer> f : runs) {
                worst = Math.max(worst, f.get());
            }
            return worst;
        } finally {
            pool.shutdownNow();
        }
    }
}
