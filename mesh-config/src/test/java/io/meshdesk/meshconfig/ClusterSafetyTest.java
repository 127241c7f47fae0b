package io.meshdesk.meshconfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshdesk.meshconfig.cluster.ClusterSync;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The findings of issue 18 about apply and diff, each in a test named after it, against
 * fabric8's mock API server in CRUD mode reached through a real kubeconfig.
 */
class ClusterSafetyTest {

    MockClusters clusters;
    Path scratch;

    @BeforeEach
    void setUp() {
        scratch = Repo.scratchCopy();
    }

    @AfterEach
    void stop() {
        if (clusters != null) {
            clusters.close();
        }
    }

    private void stableRender() {
        Repo.delete(scratch.resolve("mesh-config/canaries/routing-v2.yaml"));
        assertThat(Repo.meshctl(Repo.at(scratch, "render")).exitCode()).isZero();
    }

    @Test
    void applyToARegionWhoseContextIsMissingRefusesBeforeConnectingAndNeverUsesTheCurrentContext() {
        // The kubeconfig's current context is a live cluster, and it lacks cn-north.
        clusters = new MockClusters(List.of("some-other-cluster", "us-east"), Map.of());
        stableRender();
        for (String command : List.of("apply", "diff")) {
            Repo.Run run = Repo.meshctl(clusters.args(scratch, command, "--region", "cn-north"));
            assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
            assertThat(run.output())
                    .contains("has no context cn-north")
                    .contains(clusters.kubeconfig.toString())
                    .contains("[some-other-cluster, us-east]")
                    .contains("--context");
        }
        assertThat(clusters.total("some-other-cluster")).isZero();
        assertThat(clusters.total("us-east")).isZero();
    }

    @Test
    void contextOverridesTheRegionsClusterExplicitly() {
        clusters = new MockClusters(List.of("staging"), Map.of());
        stableRender();
        Repo.Run run = Repo.meshctl(clusters.args(scratch, "apply", "--region", "cn-north", "--context", "staging"));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(clusters.count("staging", "serving.knative.dev", "v1", "services"))
                .isEqualTo(5);
        Repo.Run both = Repo.meshctl(clusters.args(scratch, "apply", "--all", "--context", "staging"));
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.output()).contains("--context: cannot be combined with --all");
    }

    @Test
    void anUnreachableClusterIsOneLineNamingTheContextAndServerNotAStackTrace() {
        clusters = new MockClusters(List.of("cn-north"), Map.of("us-east", "http://127.0.0.1:9"));
        stableRender();
        Repo.Run run = Repo.meshctl(clusters.args(scratch, "diff", "--region", "us-east"));
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.output().strip().lines()).hasSize(1);
        assertThat(run.output())
                .contains("cannot reach the cluster of region us-east (context us-east, server " + "http://127.0.0.1:9")
                .contains("check the network");
        assertThat(run.output()).doesNotContain("\tat ").doesNotContain("test-token");
    }

    @Test
    void applyAllStopsAtTheFirstRegionThatFailsAndSaysWhichWereApplied() {
        clusters = new MockClusters(List.of("cn-north"), Map.of("us-east", "http://127.0.0.1:9"));
        stableRender();
        Repo.Run run = Repo.meshctl(clusters.args(scratch, "apply", "--all"));
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.output())
                .contains("cn-north: ")
                .contains("changes made")
                .contains("cannot reach the cluster of region us-east");
        assertThat(clusters.count("cn-north", "serving.knative.dev", "v1", "services"))
                .isEqualTo(5);

        // The other way round: the first region fails, and the second is never touched.
        MockClusters reversed = new MockClusters(List.of("us-east"), Map.of("cn-north", "http://127.0.0.1:9"));
        try {
            Repo.Run first = Repo.meshctl(reversed.args(scratch, "apply", "--all"));
            assertThat(first.exitCode()).isEqualTo(4);
            assertThat(reversed.total("us-east")).isZero();
        } finally {
            reversed.close();
        }
    }

    @Test
    void aTrafficBlockNamingARevisionTheClusterLacksIsRefusedOnAFreshCluster() {
        clusters = new MockClusters(List.of("cn-north"), Map.of());
        // The canary's render names the stable revision, which a fresh cluster does not have.
        assertThat(Repo.meshctl(Repo.at(scratch, "render")).exitCode()).isZero();
        Repo.Run diff = Repo.meshctl(clusters.args(scratch, "diff", "--region", "cn-north"));
        assertThat(diff.exitCode()).isEqualTo(1);
        assertThat(diff.output())
                .containsPattern(
                        "spec.traffic names revision routing-v1-[0-9a-f]{7}, which the " + "cluster does not have");
        Repo.Run apply = Repo.meshctl(clusters.args(scratch, "apply", "--region", "cn-north"));
        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.output()).contains("nothing was changed");
        assertThat(clusters.total("cn-north")).isZero();
    }

    @Test
    void aCanaryAppliedOverTheStableRenderKeepsTheTrafficTheControllerOwns() {
        clusters = new MockClusters(List.of("cn-north"), Map.of());
        scratch = Repo.scratchWithMirror();
        Path canary = scratch.resolve("mesh-config/canaries/routing-v2.yaml");
        String canaryText = Repo.read(canary);
        stableRender();
        assertThat(Repo.meshctl(clusters.args(scratch, "apply", "--region", "cn-north"))
                        .exitCode())
                .isZero();
        String stable = revisionOf(traffic().get(0));
        clusters.revision("cn-north", stable);

        Repo.write(canary, canaryText);
        assertThat(Repo.meshctl(Repo.at(scratch, "render")).exitCode()).isZero();
        Repo.Run apply = Repo.meshctl(clusters.args(scratch, "apply", "--region", "cn-north"));
        assertThat(apply.exitCode()).as(apply.output()).isZero();
        assertThat(apply.output())
                .contains("create Service meshdesk/routing-canary")
                .contains("update Service meshdesk/routing");
        // The live traffic (all stable) is kept: the template moved to the candidate, weights are the controller's.
        assertThat(traffic()).hasSize(1);
        assertThat(revisionOf(traffic().get(0))).isEqualTo(stable);
        assertThat(Repo.meshctl(clusters.args(scratch, "diff", "--region", "cn-north"))
                        .exitCode())
                .isZero();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> traffic() {
        try (KubernetesClient c = clusters.client("cn-north")) {
            GenericKubernetesResource svc = c.genericKubernetesResources(ClusterSync.KINDS.get(7))
                    .inNamespace("meshdesk")
                    .withName("routing")
                    .get();
            return (List<Map<String, Object>>)
                    ((Map<String, Object>) svc.getAdditionalProperties().get("spec")).get("traffic");
        }
    }

    private static String revisionOf(Map<String, Object> traffic) {
        return (String) traffic.get("revisionName");
    }
}
