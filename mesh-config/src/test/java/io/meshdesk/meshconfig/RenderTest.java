package io.meshdesk.meshconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshdesk.meshconfig.render.Manifests;

/** Render is deterministic, the checked-in files are current, and the rendered resources say what the design says. */
class RenderTest {

    @Test
    void theCheckedInIstioAndKnativeFilesAreWhatRenderWrites() {
        List<String> stale = Manifests.stale(Repo.ROOT, Manifests.render(Repo.config()));
        assertThat(stale).as("istio/ and knative/ are stale: run bin/meshctl render and commit").isEmpty();
    }

    @Test
    void renderingTwiceGivesTheSameBytes() {
        assertThat(Manifests.render(Repo.config())).isEqualTo(Manifests.render(Repo.config()));
    }

    @Test
    void everyFileIsNamedByKindAndFunctionAndSaysItIsGenerated() {
        Map<String, String> files = Manifests.render(Repo.config());
        assertThat(files.keySet()).contains("istio/cn-north/virtual-service-routing.yaml",
                "istio/us-east/destination-rule-chat.yaml", "istio/cn-north/gateway-eastwest.yaml",
                "istio/cn-north/peer-authentication-default.yaml", "knative/us-east/service-chat-premium.yaml");
        assertThat(files.values()).allMatch(text -> text.startsWith(Manifests.HEADER));
    }

    @Test
    void theCanaryStepSetsTheWeightsAndMirroringOnlyHappensBeforeWeightMoves() {
        Path scratch = Repo.scratchCopy();
        Repo.replace(scratch.resolve("mesh-config/canaries/routing-v2.yaml"), "step: 1", "step: 0");
        assertThat(Repo.meshctl(Repo.at(scratch, "render")).exitCode()).isZero();
        String mirroring = read(scratch, "istio/cn-north/virtual-service-routing.yaml");
        assertThat(mirroring).contains("mirrorPercentage:\n      value: 20.0").contains("subset: \"v2\"");

        Repo.replace(scratch.resolve("mesh-config/canaries/routing-v2.yaml"), "step: 0", "step: 9");
        Repo.meshctl(Repo.at(scratch, "render"));
        GenericKubernetesResource vs = Serialization.unmarshal(read(scratch, "istio/cn-north/virtual-service-routing.yaml"),
                GenericKubernetesResource.class);
        String yaml = Serialization.asYaml(vs);
        assertThat(yaml).doesNotContain("mirror").contains("weight: 50");
        String knative = read(scratch, "knative/cn-north/service-routing.yaml");
        assertThat(knative).contains("revisionName: \"routing-v1\"\n    percent: 50\n    tag: \"stable\"")
                .contains("revisionName: \"routing-v2\"\n    percent: 50\n    tag: \"canary\"");
    }

    @Test
    void chatIsStickyByParticipantSessionAndItsStreamsOutliveKnativesDefaultTimeout() {
        Map<String, String> files = Manifests.render(Repo.config());
        assertThat(files.get("istio/cn-north/destination-rule-chat.yaml"))
                .contains("consistentHash:\n        httpHeaderName: \"x-session-id\"")
                .contains("failover:\n        - from: \"cn-north\"\n          to: \"us-east\"")
                .contains("outlierDetection:").contains("mode: \"ISTIO_MUTUAL\"");
        assertThat(files.get("knative/cn-north/service-chat.yaml")).contains("timeoutSeconds: 3600")
                .contains("name: \"h2c\"").contains("app: \"chat\"").contains("version: \"v1\"");
        assertThat(files.get("knative/cn-north/service-chat-premium.yaml"))
                .contains("autoscaling.knative.dev/min-scale: \"2\"").contains("pool: \"premium\"");
    }

    @Test
    void onlyTheCallsTheDesignNeedsAreAllowed() {
        Map<String, String> files = Manifests.render(Repo.config());
        assertThat(files.get("istio/cn-north/authorization-policy-ticketing.yaml"))
                .contains("cluster.local/ns/meshdesk/sa/routing").contains("cluster.local/ns/meshdesk/sa/chat")
                .doesNotContain("istio-ingressgateway");
        assertThat(files.get("istio/cn-north/authorization-policy-routing.yaml"))
                .contains("istio-ingressgateway-service-account");
        assertThat(files.get("istio/cn-north/peer-authentication-default.yaml")).contains("mode: \"STRICT\"");
    }

    private static String read(Path root, String file) {
        try {
            return java.nio.file.Files.readString(root.resolve(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
