package io.meshdesk.meshconfig.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshdesk.meshconfig.canary.Decision;
import io.meshdesk.meshconfig.canary.Progress;
import io.meshdesk.meshconfig.canary.ProgressStore;
import io.meshdesk.meshconfig.canary.Routes;
import io.meshdesk.meshconfig.model.Canary;
import io.meshdesk.meshconfig.model.ConfigError;
import io.meshdesk.meshconfig.model.Topology;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** abort, pause and resume: changes to a rollout's progress in the cluster, from any machine. */
final class CanaryControl {

    private CanaryControl() {}

    abstract static class Base implements Callable<Integer> {
        @Mixin
        CanaryCommand.Common common;

        @Parameters(index = "0", description = "The canary file.")
        Path file;

        abstract Progress change(Progress p, Routes routes);

        @Override
        public Integer call() {
            Topology t = common.topology();
            Canary c = common.canary(file, t);
            for (Topology.Region region : common.regions(t, c, null)) {
                try (ClusterOptions.Cluster cluster = common.cluster.connect(region)) {
                    try {
                        ProgressStore store = new ProgressStore(cluster.client(), t.namespace());
                        Progress p = store.read(c.function())
                                .orElseThrow(() -> new ConfigError(
                                        "cluster " + region.name(),
                                        "ConfigMap " + ProgressStore.name(c.function()),
                                        "no rollout of " + c.function() + " has started in " + region.name()));
                        if (p.finished()) {
                            System.out.println(region.name() + ": already " + p.status() + "; nothing to do");
                            continue;
                        }
                        Progress changed = change(p, new Routes(cluster.client(), t.namespace(), c.function()));
                        store.write(changed);
                        System.out.println(region.name() + ": "
                                + changed.log().get(changed.log().size() - 1).reason());
                    } catch (KubernetesClientException e) {
                        throw new ClusterError(region.name(), cluster.context(), cluster.server(), e);
                    }
                }
            }
            return 0;
        }

        static Progress log(Progress p, Decision d, String reason) {
            return p.logged(new Progress.LogEntry(Instant.now(), p.step(), -1, d, reason, List.of()));
        }
    }

    @Command(
            name = "abort",
            mixinStandardHelpOptions = true,
            description = "Rolls back now (all traffic to stable, mirror off) and stays rolled back.")
    static final class Abort extends Base {
        @Override
        Progress change(Progress p, Routes routes) {
            routes.rollback(p.stableRevision(), p.candidateRevision());
            return log(
                    p.with(Progress.Status.aborted, p.step(), p.failures(), p.stepStartedAt(), p.holdingSince()),
                    Decision.ROLLBACK,
                    "aborted by " + System.getProperty("user.name") + ": all traffic to " + p.stableRevision());
        }
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = "Holds the current weights; the controller goes on running and logging the checks.")
    static final class Pause extends Base {
        @Override
        Progress change(Progress p, Routes routes) {
            return log(
                    p.paused(true),
                    Decision.HOLD,
                    "paused by " + System.getProperty("user.name") + " at step " + p.step());
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Lets a paused rollout move again.")
    static final class Resume extends Base {
        @Override
        Progress change(Progress p, Routes routes) {
            return log(p.paused(false), Decision.HOLD, "resumed by " + System.getProperty("user.name"));
        }
    }
}
