package io.meshdesk.meshconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshdesk.meshconfig.explain.Explainer;
import io.meshdesk.meshconfig.explain.Explanation;
import io.meshdesk.meshconfig.explain.Explanation.Destination;
import io.meshdesk.meshconfig.render.Manifests;

/** Where requests go, from the rendered resources: standard, premium, spoofed, canary and failover. */
class ExplainTest {

    static final String ROUTING = "routing.meshdesk.svc.cluster.local";
    final Explainer cnNorth = new Explainer(Manifests.read(Repo.ROOT, "cn-north"));

    @Test
    void aStandardCustomerGoesToTheStableAndCanaryWeights() {
        Explanation e = cnNorth.explain("cn-north", "routing", true, Map.of(), Map.of());
        assertThat(e.route()).isEqualTo("standard");
        assertThat(e.destinations()).containsExactly(new Destination(ROUTING, "v1", 90), new Destination(ROUTING, "v2", 10));
        assertThat(e.roleHeader()).isEqualTo("standard");
        assertThat(e.timeout()).isEqualTo("5s");
        assertThat(e.retryAttempts()).isEqualTo(3);
    }

    @Test
    void aVerifiedPremiumClaimGoesToThePremiumPool() {
        Explanation e = cnNorth.explain("cn-north", "routing", true, Map.of(), Map.of("role", "premium"));
        assertThat(e.route()).isEqualTo("premium");
        assertThat(e.destinations()).containsExactly(new Destination("routing-premium.meshdesk.svc.cluster.local", "v1", 100));
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
    void claimsDoNotRouteInsideTheMesh() {
        Explanation e = cnNorth.explain("cn-north", "routing", false, Map.of(), Map.of("role", "premium"));
        assertThat(e.gateway()).isEqualTo("mesh");
        assertThat(e.route()).isEqualTo("standard");
    }

    @Test
    void failoverGoesToTheOtherRegionAndChatHasNoCanary() {
        Explanation e = new Explainer(Manifests.read(Repo.ROOT, "us-east")).explain("us-east", "chat", true, Map.of(),
                Map.of());
        assertThat(e.failover()).containsExactly("us-east", "cn-north");
        assertThat(e.destinations()).containsExactly(new Destination("chat.meshdesk.svc.cluster.local", "v1", 100));
        assertThat(e.timeout()).isEqualTo("3600s");
    }

    @Test
    void theCommandPrintsTheRouteForAPerson() {
        var run = Repo.meshctl("explain", "--region", "cn-north", "--function", "routing", "--claim", "role=premium",
                "--root", Repo.ROOT.toString(), "--topology", Repo.ROOT.resolve("mesh-config/topology.yaml").toString(),
                "--canaries", Repo.ROOT.resolve("mesh-config/canaries").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).contains("route:        premium").contains("failover:     cn-north, then us-east");
    }
}
