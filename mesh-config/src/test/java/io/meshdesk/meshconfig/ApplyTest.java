package io.meshdesk.meshconfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** apply, re-apply and prune against two clusters (fabric8's mock API server in CRUD mode), one per region. */
class ApplyTest {

    static final int PER_REGION = 22;
    MockClusters clusters;
    Path scratch;

    @BeforeEach
    void twoClusters() {
        clusters = new MockClusters(List.of("cn-north", "us-east"), Map.of());
        scratch = Repo.scratchCopy();
        // A region starts from its stable render: the canary's stable revision must exist first.
        Repo.delete(scratch.resolve("mesh-config/canaries/routing-v2.yaml"));
        assertThat(Repo.meshctl(Repo.at(scratch, "render")).exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        clusters.close();
    }

    @Test
    void applyAllPutsEachRegionInItsOwnClusterAndAgainChangesNothing() {
        Repo.Run first = Repo.meshctl(clusters.args(scratch, "apply", "--all"));
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output())
                .contains("cn-north: " + PER_REGION + " changes made, 0 unchanged")
                .contains("us-east: " + PER_REGION + " changes made, 0 unchanged");
        for (String region : List.of("cn-north", "us-east")) {
            assertThat(clusters.count(region, "networking.istio.io", "v1beta1", "virtualservices"))
                    .isEqualTo(2);
            assertThat(clusters.count(region, "serving.knative.dev", "v1", "services"))
                    .isEqualTo(5);
            assertThat(clusters.count(region, "", "v1", "serviceaccounts")).isEqualTo(5);
        }
        Repo.Run again = Repo.meshctl(clusters.args(scratch, "apply", "--all"));
        assertThat(again.output())
                .contains("cn-north: 0 changes made, " + PER_REGION + " unchanged")
                .contains("us-east: 0 changes made, " + PER_REGION + " unchanged");
        assertThat(Repo.meshctl(clusters.args(scratch, "diff", "--region", "cn-north"))
                        .exitCode())
                .isZero();
    }

    @Test
    void aChangedTopologyIsAnUpdateAndDiffShowsItFirst() {
        Repo.meshctl(clusters.args(scratch, "apply", "--region", "cn-north"));
        Repo.replace(scratch.resolve("mesh-config/topology.yaml"), "timeout: 5s", "timeout: 6s");
        Repo.meshctl(Repo.at(scratch, "render"));
        Repo.Run diff = Repo.meshctl(clusters.args(scratch, "diff", "--region", "cn-north"));
        assertThat(diff.exitCode()).isEqualTo(1);
        assertThat(diff.output())
                .contains("update VirtualService meshdesk/routing")
                .contains("update Service meshdesk/routing")
                .contains("cn-north differs");
        Repo.Run dry = Repo.meshctl(clusters.args(scratch, "apply", "--region", "cn-north", "--dry-run"));
        assertThat(dry.output()).contains("would update VirtualService meshdesk/routing");
        assertThat(Repo.meshctl(clusters.args(scratch, "diff", "--region", "cn-north"))
                        .exitCode())
                .isEqualTo(1);
        Repo.meshctl(clusters.args(scratch, "apply", "--region", "cn-north"));
        assertThat(Repo.meshctl(clusters.args(scratch, "diff", "--region", "cn-north"))
                        .exitCode())
                .isZero();
    }

    @Test
    void aFunctionNoLongerRenderedIsPruned() {
        Repo.meshctl(clusters.args(scratch, "apply", "--all"));
        Repo.replace(scratch.resolve("mesh-config/topology.yaml"), "callers: [chat]", "callers: []");
        Repo.replace(scratch.resolve("mesh-config/topology.yaml"), "clients: [ticketing]", "clients: []");
        Path topology = scratch.resolve("mesh-config/topology.yaml");
        try {
            String text = Files.readString(topology);
            Files.writeString(
                    topology,
                    text.substring(0, text.indexOf("  - name: ticketing"))
                            + text.substring(text.indexOf("\n# The stores")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(Repo.meshctl(Repo.at(scratch, "render")).exitCode()).isZero();
        Repo.Run prune = Repo.meshctl(clusters.args(scratch, "apply", "--region", "us-east"));
        assertThat(prune.exitCode()).as(prune.output()).isZero();
        assertThat(prune.output())
                .contains("prune Service meshdesk/ticketing")
                .contains("prune ServiceAccount meshdesk/ticketing")
                .contains("prune AuthorizationPolicy meshdesk/ticketing");
        assertThat(clusters.count("us-east", "serving.knative.dev", "v1", "services"))
                .isEqualTo(4);
        assertThat(clusters.count("cn-north", "serving.knative.dev", "v1", "services"))
                .isEqualTo(5);
    }
}
