package io.meshdesk.meshconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.meshdesk.meshconfig.cli.ClusterOptions;

/** apply, re-apply and prune against two clusters (fabric8's mock API server in CRUD mode), one per region. */
class ApplyTest {

    final Map<String, KubernetesMockServer> clusters = new HashMap<>();
    Path scratch;

    @BeforeEach
    void twoClusters() {
        for (String context : new String[] {"cn-north", "us-east"}) {
            KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                    new KubernetesCrudDispatcher(), false);
            server.init();
            clusters.put(context, server);
        }
        ClusterOptions.useConnector(context -> {
            KubernetesMockServer server = clusters.get(context);
            if (server == null) {
                throw new IllegalArgumentException("no cluster for context " + context);
            }
            return server.createClient();
        });
        scratch = Repo.scratchCopy();
        assertThat(Repo.meshctl(Repo.at(scratch, "render")).exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        clusters.values().forEach(KubernetesMockServer::destroy);
    }

    private long count(String context, String group, String version, String plural) {
        try (KubernetesClient c = clusters.get(context).createClient()) {
            return c.genericKubernetesResources(new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext
                    .Builder().withGroup(group).withVersion(version).withPlural(plural).withNamespaced(true).build())
                    .inAnyNamespace().list().getItems().size();
        }
    }

    @Test
    void applyAllPutsEachRegionInItsOwnClusterAndAgainChangesNothing() {
        Repo.Run first = Repo.meshctl(Repo.at(scratch, "apply", "--all"));
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("cn-north: 20 changes made, 0 unchanged")
                .contains("us-east: 20 changes made, 0 unchanged");
        for (String region : clusters.keySet()) {
            assertThat(count(region, "networking.istio.io", "v1beta1", "virtualservices")).isEqualTo(3);
            assertThat(count(region, "serving.knative.dev", "v1", "services")).isEqualTo(5);
        }
        Repo.Run again = Repo.meshctl(Repo.at(scratch, "apply", "--all"));
        assertThat(again.output()).contains("cn-north: 0 changes made, 20 unchanged")
                .contains("us-east: 0 changes made, 20 unchanged");
        assertThat(Repo.meshctl(Repo.at(scratch, "diff", "--region", "cn-north")).exitCode()).isZero();
    }

    @Test
    void aChangedCanaryStepIsAnUpdateAndDiffShowsItFirst() {
        Repo.meshctl(Repo.at(scratch, "apply", "--region", "cn-north"));
        Repo.replace(scratch.resolve("mesh-config/canaries/routing-v2.yaml"), "step: 1", "step: 2");
        Repo.meshctl(Repo.at(scratch, "render"));
        Repo.Run diff = Repo.meshctl(Repo.at(scratch, "diff", "--region", "cn-north"));
        assertThat(diff.exitCode()).isEqualTo(1);
        assertThat(diff.output()).contains("update VirtualService meshdesk/routing")
                .contains("update Service meshdesk/routing").contains("cn-north differs");
        Repo.Run dry = Repo.meshctl(Repo.at(scratch, "apply", "--region", "cn-north", "--dry-run"));
        assertThat(dry.output()).contains("would update VirtualService meshdesk/routing");
        assertThat(Repo.meshctl(Repo.at(scratch, "diff", "--region", "cn-north")).exitCode()).isEqualTo(1);
        Repo.meshctl(Repo.at(scratch, "apply", "--region", "cn-north"));
        assertThat(Repo.meshctl(Repo.at(scratch, "diff", "--region", "cn-north")).exitCode()).isZero();
    }

    @Test
    void aFunctionNoLongerRenderedIsPruned() {
        Repo.meshctl(Repo.at(scratch, "apply", "--all"));
        Repo.replace(scratch.resolve("mesh-config/topology.yaml"), "callers: [chat]", "callers: []");
        String topology = scratch.resolve("mesh-config/topology.yaml").toString();
        try {
            String text = java.nio.file.Files.readString(Path.of(topology));
            java.nio.file.Files.writeString(Path.of(topology), text.substring(0, text.indexOf("  - name: ticketing")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Repo.meshctl(Repo.at(scratch, "render"));
        Repo.Run prune = Repo.meshctl(Repo.at(scratch, "apply", "--region", "us-east"));
        assertThat(prune.exitCode()).as(prune.output()).isZero();
        assertThat(prune.output()).contains("prune VirtualService meshdesk/ticketing")
                .contains("prune Service meshdesk/ticketing");
        assertThat(count("us-east", "networking.istio.io", "v1beta1", "virtualservices")).isEqualTo(2);
        assertThat(count("cn-north", "networking.istio.io", "v1beta1", "virtualservices")).isEqualTo(3);
    }
}
