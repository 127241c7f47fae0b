package io.meshdesk.meshconfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.meshdesk.meshconfig.render.Manifests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Render is deterministic, the checked-in files are current, and the rendered resources say
 * what docs/adr/0002 says: Knative owns revision traffic, Istio only meshdesk's hosts, and
 * every identity a policy names exists. Tests named after a finding of issue 18 prove it fixed.
 */
class RenderTest {

    static final Pattern REVISION = Pattern.compile("name: \"(routing-v[0-9]-[0-9a-f]{7})\"");

    @Test
    void theCheckedInIstioAndKnativeFilesAreWhatRenderWrites() {
        List<String> stale = Manifests.stale(Repo.ROOT, Manifests.render(Repo.config()));
        assertThat(stale)
                .as("istio/ and knative/ are stale: run bin/meshctl render and commit")
                .isEmpty();
    }

    @Test
    void renderingTwiceGivesTheSameBytes() {
        assertThat(Manifests.render(Repo.config())).isEqualTo(Manifests.render(Repo.config()));
    }

    @Test
    void everyFileIsNamedByKindAndFunctionAndSaysItIsGenerated() {
        Map<String, String> files = Manifests.render(Repo.config());
        assertThat(files.keySet())
                .contains(
                        "istio/cn-north/virtual-service-routing.yaml",
                        "istio/cn-north/gateway-eastwest.yaml",
                        "istio/cn-north/peer-authentication-default.yaml",
                        "istio/cn-north/authorization-policy-allow-nothing.yaml",
                        "knative/us-east/service-chat-premium.yaml",
                        "knative/us-east/service-account-chat-premium.yaml");
        assertThat(files.values()).allMatch(text -> text.startsWith(Manifests.HEADER));
    }

    @Test
    void noVirtualServiceOrDestinationRuleNamesAHostKnativeManages() {
        Map<String, String> files = Manifests.render(Repo.config());
        assertThat(files.keySet()).noneMatch(f -> f.contains("destination-rule-"));
        assertThat(files.keySet()).doesNotContain("istio/cn-north/virtual-service-ticketing.yaml");
        files.forEach((file, text) -> {
            if (file.contains("virtual-service-")) {
                assertThat(text)
                        .as(file)
                        .containsPattern("hosts:\n  - \"(routing|chat)\\.(cn-north|us-east)"
                                + "\\.meshdesk\\.example\\.com\"\n  gateways:")
                        .doesNotContain("- \"mesh\"");
            }
        });
    }

    @Test
    void revisionWeightsLiveOnlyInKnativeTrafficNeverInAnIstioSplit() {
        Map<String, String> files = Manifests.render(Repo.config());
        assertThat(files.get("istio/cn-north/virtual-service-routing.yaml"))
                .doesNotContain("weight")
                .doesNotContain("subset");
        assertThat(files.get("knative/cn-north/service-routing.yaml"))
                .containsPattern("revisionName: \"routing-v1-[0-9a-f]{7}\"\n    percent: 100\n    tag: \"stable\"")
                .containsPattern("revisionName: \"routing-v2-[0-9a-f]{7}\"\n    percent: 0\n    tag: \"canary\"")
                .contains("canary.meshdesk.io/controller-owns: \"/spec/traffic\"");
    }

    @Test
    void theMirrorGoesToTheCandidatesOwnKnativeServiceInShadowModeOnTheIngressRoute() {
        assertThat(Manifests.render(Repo.config()).keySet())
                .as("routing's canary mirrors 5% to routing-canary, its candidate in shadow mode")
                .contains("knative/cn-north/service-routing-canary.yaml", "knative/us-east/service-routing-canary.yaml")
                .noneMatch(f -> f.contains("chat-canary") || f.contains("ticketing-canary"));
        Path scratch = Repo.scratchWithMirror();
        assertThat(Repo.meshctl(Repo.at(scratch, "render")).exitCode()).isZero();
        String vs = Repo.read(scratch.resolve("istio/cn-north/virtual-service-routing.yaml"));
        assertThat(vs)
                .contains("mirror:\n      host: \"routing-canary.meshdesk.svc.cluster.local\"")
                .contains("mirrorPercentage:\n      value: 20.0")
                .contains("canary.meshdesk.io/controller-owns: \"/spec/http/1/mirrorPercentage\"");
        String mirror = Repo.read(scratch.resolve("knative/cn-north/service-routing-canary.yaml"));
        assertThat(mirror)
                .contains("name: \"MESHDESK_SHADOW\"\n          value: \"true\"")
                .contains("image: \"registry.meshdesk.example.com/meshdesk/routing:v2\"")
                .contains("serviceAccountName: \"routing-canary\"");
        assertThat(Repo.read(scratch.resolve("knative/cn-north/service-routing-canary.yaml")))
                .contains("percent: 100\n    tag: \"stable\"");
        assertThat(Repo.read(scratch.resolve("knative/cn-north/service-routing.yaml")))
                .doesNotContain("MESHDESK_SHADOW");
        Repo.replace(scratch.resolve("mesh-config/canaries/routing-v2.yaml"), "step: 0", "step: 1");
        Repo.meshctl(Repo.at(scratch, "render"));
        assertThat(Repo.read(scratch.resolve("istio/cn-north/virtual-service-routing.yaml")))
                .contains("mirrorPercentage:\n      value: 0.0");
        assertThat(Repo.read(scratch.resolve("knative/cn-north/service-routing.yaml")))
                .containsPattern("percent: 90\n    tag: \"stable\"")
                .containsPattern("percent: 10\n    tag: \"canary\"");
    }

    @Test
    void tierRoutingUsesTheVerifiedClaimAndCallsInsideTheMeshKeepTheirPriority() {
        String vs = Manifests.render(Repo.config()).get("istio/cn-north/virtual-service-routing.yaml");
        assertThat(vs)
                .contains("'@request.auth.claims.tier':\n          exact: \"premium\"")
                .contains("host: \"routing-premium.meshdesk.svc.cluster.local\"")
                .contains("x-user-role: \"premium\"")
                .contains("x-user-role: \"standard\"")
                // Bound to the ingress gateway only: a call from chat to routing never passes a route that resets the
                // role.
                .contains("gateways:\n  - \"meshdesk/meshdesk-ingress\"\n  http:");
    }

    @Test
    void revisionNamesChangeWhenTheTemplateChangesAndOnlyThen() {
        Path scratch = Repo.scratchCopy();
        Repo.delete(scratch.resolve("mesh-config/canaries/routing-v2.yaml"));
        Repo.meshctl(Repo.at(scratch, "render"));
        String before = revision(Repo.read(scratch.resolve("knative/cn-north/service-routing.yaml")));
        Repo.meshctl(Repo.at(scratch, "render"));
        assertThat(revision(Repo.read(scratch.resolve("knative/cn-north/service-routing.yaml"))))
                .isEqualTo(before);
        Repo.replace(scratch.resolve("mesh-config/topology.yaml"), "targetConcurrency: 50", "targetConcurrency: 60");
        Repo.meshctl(Repo.at(scratch, "render"));
        String after = revision(Repo.read(scratch.resolve("knative/cn-north/service-routing.yaml")));
        assertThat(after).startsWith("routing-v1-").isNotEqualTo(before);
        assertThat(Repo.read(scratch.resolve("knative/cn-north/service-routing.yaml")))
                .contains("revisionName: \"" + after + "\"\n    percent: 100");
    }

    @Test
    void theCanarysStableRevisionIsTheOneTheStableRenderCreates() {
        Path scratch = Repo.scratchCopy();
        Repo.delete(scratch.resolve("mesh-config/canaries/routing-v2.yaml"));
        Repo.meshctl(Repo.at(scratch, "render"));
        String stable = revision(Repo.read(scratch.resolve("knative/cn-north/service-routing.yaml")));
        assertThat(Manifests.render(Repo.config()).get("knative/cn-north/service-routing.yaml"))
                .contains("revisionName: \"" + stable + "\"\n    percent: 100");
    }

    @Test
    void everyPrincipalIsAnAccountAWorkloadRunsAsIncludingTheGatewaysRealOne() {
        Map<String, String> files = Manifests.render(Repo.config());
        assertThat(files.get("knative/cn-north/service-chat.yaml")).contains("serviceAccountName: \"chat\"");
        assertThat(files.get("knative/cn-north/service-chat-premium.yaml"))
                .contains("serviceAccountName: \"chat-premium\"");
        assertThat(files.get("knative/cn-north/service-account-chat.yaml"))
                .contains("kind: \"ServiceAccount\"")
                .contains("automountServiceAccountToken: false");
        assertThat(files.get("istio/cn-north/authorization-policy-routing.yaml"))
                .contains("cluster.local/ns/meshdesk/sa/chat\"")
                .contains("cluster.local/ns/meshdesk/sa/chat-premium\"")
                .contains("cluster.local/ns/istio-system/sa/istio-ingressgateway\"")
                .doesNotContain("istio-ingressgateway-service-account");
        assertThat(files.get("istio/cn-north/authorization-policy-ticketing.yaml"))
                .contains("sa/routing\"")
                .contains("sa/chat\"")
                .doesNotContain("istio-ingressgateway")
                .doesNotContain("routing-canary");
        // terraform installs the gateway under the name the topology gives, read from the same file.
        String tf = Repo.read(Repo.ROOT.resolve("terraform/envs/two-region/main.tf"));
        assertThat(tf)
                .contains("yamldecode(file(\"${path.root}/../../../mesh-config/topology.yaml\"))")
                .containsPattern("ingress_gateway += local\\.topology\\.ingressGateway");
        assertThat(Repo.read(Repo.ROOT.resolve("terraform/modules/region-platform/main.tf")))
                .containsPattern("name += var\\.ingress_gateway\\.name")
                .containsPattern("namespace += var\\.ingress_gateway\\.namespace");
    }

    @Test
    void theNamespaceAllowsNothingButWhatIsListedIncludingWhoReachesEtcdAndPostgres() {
        Map<String, String> files = Manifests.render(Repo.config());
        assertThat(files.get("istio/cn-north/authorization-policy-allow-nothing.yaml"))
                .contains("name: \"allow-nothing\"")
                .contains("spec: {}");
        assertThat(files.get("istio/cn-north/authorization-policy-etcd.yaml"))
                .contains("app.kubernetes.io/name: \"etcd\"")
                .contains("sa/routing\"")
                .contains("sa/chat\"")
                .contains("sa/meshdesk-etcd\"")
                .doesNotContain("sa/ticketing")
                .contains("- \"2379\"");
        assertThat(files.get("istio/cn-north/authorization-policy-postgres.yaml"))
                .contains("cnpg.io/cluster: \"meshdesk-pg\"")
                .contains("sa/ticketing\"")
                .contains("cnpg-system/sa/cloudnative-pg")
                .doesNotContain("sa/routing\"")
                .doesNotContain("sa/chat\"");
        assertThat(files.get("istio/cn-north/peer-authentication-default.yaml")).contains("mode: \"STRICT\"");
    }

    @Test
    void chatStreamsOutliveKnativesDefaultTimeoutAndTheGatewayOpensOnlyServedHosts() {
        Map<String, String> files = Manifests.render(Repo.config());
        assertThat(files.get("knative/cn-north/service-chat.yaml"))
                .contains("timeoutSeconds: 3600")
                .contains("name: \"h2c\"")
                .contains("app: \"chat\"")
                .contains("version: \"v1\"")
                .contains("name: \"MESHDESK_VERSION\"\n          value: \"v1\"");
        assertThat(files.get("knative/cn-north/service-chat-premium.yaml"))
                .contains("autoscaling.knative.dev/min-scale: \"2\"")
                .contains("pool: \"premium\"");
        assertThat(files.get("istio/cn-north/gateway-ingress.yaml"))
                .contains("- \"routing.cn-north.meshdesk.example.com\"\n    - \"chat.cn-north.meshdesk.example.com\"")
                .doesNotContain("*.");
    }

    private static String revision(String service) {
        Matcher m = REVISION.matcher(service);
        assertThat(m.find()).as(service).isTrue();
        return m.group(1);
    }
}
