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

    private static final int ATTEMPTS = 5;

    abstract static class Base implements Callable<Integer> {
        @Mixin
        CanaryCommand.Common common;

        @Parameters(index = "0", description = "The canary file.")
        Path file;

        abstract Progress change(Progress p);

        /** What the change means for the routes, once it is recorded. */
        void afterRecorded(Progress p, Routes routes) {}

        @Override
        public Integer call() {
            Topology t = common.topology();
            Canary c = common.canary(file, t);
            for (Topology.Region region : common.regions(t, c, null)) {
                try (ClusterOptions.Cluster cluster = common.cluster.connect(region)) {
                    try {
                        Progress changed = record(new ProgressStore(cluster.client(), t.namespace()), c, region);
                        if (changed == null) {
                            continue;
                        }
                        afterRecorded(changed, new Routes(cluster.client(), t.namespace(), c.function()));
                        System.out.println(region.name() + ": "
                                + changed.log().get(changed.log().size() - 1).reason());
                    } catch (KubernetesClientException e) {
                        throw new ClusterError(region.name(), cluster.context(), cluster.server(), e);
                    }
                }
            }
            return 0;
        }

        /**
         * The change written over the progress it was made to, so that a decision the controller
         * records at the same moment is never lost under it (nor it under the decision): whoever
         * writes second reads again. Null when the rollout has already finished.
         */
        private Progress record(ProgressStore store, Canary c, Topology.Region region) {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                ProgressStore.Stored s = store.load(c.function())
                        .orElseThrow(() -> new ConfigError(
                                "cluster " + region.name(),
                                "ConfigMap " + ProgressStore.name(c.function()),
                                "no rollout of " + c.function() + " has started in " + region.name()
                                        + "; start one with meshctl canary run"));
                if (s.progress().finished()) {
                    System.out.println(
                            region.name() + ": already " + s.progress().status() + "; nothing to do");
                    return null;
                }
                Progress changed = change(s.progress());
                if (store.replace(changed, s.resourceVersion())) {
                    return changed;
                }
            }
            throw new IllegalStateException("ConfigMap " + ProgressStore.name(c.function()) + " in " + region.name()
                    + " changed under each of " + ATTEMPTS + " attempts; is more than one controller running? "
                    + "Try again");
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
        Progress change(Progress p) {
            return log(
                    p.with(Progress.Status.aborted, p.step(), p.failures(), p.stepStartedAt(), p.holdingSince()),
                    Decision.ROLLBACK,
                    "aborted by " + System.getProperty("user.name") + ": all traffic to " + p.stableRevision());
        }

        // Recorded first: a controller that sets weights after this reads the abort and sets them back.
        @Override
        void afterRecorded(Progress p, Routes routes) {
            routes.rollback(p.stableRevision(), p.candidateRevision());
        }
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = "Holds the current weights; the controller goes on running and logging the checks.")
    static final class Pause extends Base {
        @Override
        Progress change(Progress p) {
            return log(
                    p.paused(true),
                    Decision.HOLD,
                    "paused by " + System.getProperty("user.name") + " at step " + p.step());
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Lets a paused rollout move again.")
    static final class Resume extends Base {
        @Override
        Progress change(Progress p) {
            return log(p.paused(false), Decision.HOLD, "resumed by " + System.getProperty("user.name"));
        }
    }
}
