package io.meshdesk.meshconfig;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshdesk.meshconfig.explain.Explainer;
import io.meshdesk.meshconfig.explain.Explanation;
import io.meshdesk.meshconfig.render.Manifests;

import static org.assertj.core.api.Assertions.assertThat;

/** Where requests go, from the rendered resources: standard, premium, spoofed, from inside the mesh, canary. */
class ExplainTest {

    final Explainer cnNorth = new Explainer(Manifests.read(Repo.ROOT, "cn-north"));

    @Test
    void aStandardCustomerReachesTheKnativeServiceWhichSplitsStableAndCanary() {
        Explanation e = cnNorth.explain("cn-north", "routing", true, Map.of(), Map.of());
        assertThat(e.route()).isEqualTo("standard");
        assertThat(e.service()).isEqualTo("routing");
        assertThat(e.destinations())
                .extracting(Explanation.Destination::tag, Explanation.Destination::percent)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("stable", 100),
                        org.assertj.core.groups.Tuple.tuple("canary", 0));
        assertThat(e.destinations().get(0).revision()).matches("routing-v1-[0-9a-f]{7}");
        assertThat(e.roleHeader()).isEqualTo("standard");
        assertThat(e.timeout()).isEqualTo("5s");
        assertThat(e.retryAttempts()).isEqualTo(3);
        assertThat(e.mirror())
                .as("routing's canary mirrors 5% to its candidate in shadow mode")
                .isEqualTo("routing-canary.meshdesk.svc.cluster.local");
        assertThat(e.mirrorPercent()).isEqualTo(5.0);
    }

    @Test
    void aVerifiedPremiumTierClaimGoesToThePremiumPool() {
        Explanation e = cnNorth.explain("cn-north", "routing", true, Map.of(), Map.of("tier", "premium"));
        assertThat(e.route()).isEqualTo("premium");
        assertThat(e.service()).isEqualTo("routing-premium");
        assertThat(e.destinations())
                .singleElement()
                .satisfies(d -> assertThat(d.percent()).isEqualTo(100));
        assertThat(e.roleHeader()).isEqualTo("premium");
    }

    @Test
    void aClientSentRoleHeaderChangesNothingAndIsOverwritten() {
        Explanation e = cnNorth.explain("cn-north", "routing", true, Map.of("x-user-role", "premium"), Map.of());
        assertThat(e.route()).isEqualTo("standard");
        assertThat(e.roleHeader()).isEqualTo("standard");
        assertThat(e.notes()).anyMatch(n -> n.contains("does not choose the route"));
    }

    @Test
    void callsInsideTheMeshGoToKnativeDirectlyAndKeepTheCallersPriority() {
        Explanation e = cnNorth.explain(
                "cn-north", "routing", false, Map.of("x-user-role", "premium"), Map.of("tier", "premium"));
        assertThat(e.gateway()).isEqualTo("mesh");
        assertThat(e.roleHeader()).isNull();
        assertThat(e.notes()).anyMatch(n -> n.contains("passes unchanged (premium)"));
        assertThat(e.destinations()).hasSize(2);
    }

    @Test
    void chatHasNoCanaryAndItsStreamsGetAnHour() {
        Explanation e = new Explainer(Manifests.read(Repo.ROOT, "us-east"))
                .explain("us-east", "chat", true, Map.of(), Map.of());
        assertThat(e.destinations()).singleElement().satisfies(d -> {
            assertThat(d.percent()).isEqualTo(100);
            assertThat(d.revision()).matches("chat-v1-[0-9a-f]{7}");
        });
        assertThat(e.mirror()).isNull();
        assertThat(e.timeout()).isEqualTo("3600s");
    }

    @Test
    void theCommandPrintsTheRouteForAPerson() {
        var run = Repo.meshctl(
                "explain",
                "--region",
                "cn-north",
                "--function",
                "routing",
                "--claim",
                "tier=premium",
                "--root",
                Repo.ROOT.toString(),
                "--topology",
                Repo.ROOT.resolve("mesh-config/topology.yaml").toString(),
                "--canaries",
                Repo.ROOT.resolve("mesh-config/canaries").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).contains("route:        premium").contains("service:      routing-premium");
    }
}
