package io.meshdesk.meshconfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshdesk.meshconfig.render.Manifests;
import io.meshdesk.meshconfig.validate.Finding;
import io.meshdesk.meshconfig.validate.Validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Each class of mistake in a rendered resource is caught, with file, field and fix: the offline
 * versions of Istio's analyzers, Knative's rules, and the findings of issue 18 about validate.
 */
class ValidateTest {

    static final Validation VALIDATION = new Validation(Repo.config().topology());
    static final String VS = "istio/cn-north/virtual-service-routing.yaml";

    @Test
    void whatIsRenderedFromTheRepositoryIsValidStrictlyAgainstTheIstioAndKnativeSchemas() {
        assertThat(VALIDATION.check(Manifests.read(Repo.ROOT, "cn-north"))).isEmpty();
        assertThat(VALIDATION.check(Manifests.read(Repo.ROOT, "us-east"))).isEmpty();
        assertThat(Repo.meshctl(
                                "validate",
                                "--root",
                                Repo.ROOT.toString(),
                                "--topology",
                                Repo.ROOT.resolve("mesh-config/topology.yaml").toString(),
                                "--canaries",
                                Repo.ROOT.resolve("mesh-config/canaries").toString())
                        .output())
                .contains("0 problems");
    }

    @Test
    void aStringWeightIsAFindingNotACrash() {
        List<Finding> f = broken(VS, spec -> {
            List<Object> route = new ArrayList<>(route(spec, 1));
            map(route.get(0)).put("weight", "90");
            route.add(new LinkedHashMap<>(Map.of(
                    "destination", Map.of("host", "routing-canary.meshdesk.svc.cluster.local"), "weight", "ten")));
            map(((List<?>) spec.get("http")).get(1)).put("route", route);
        });
        assertThat(f)
                .anySatisfy(x -> assertThat(x.toString())
                        .contains("spec.http[1].route[0].weight")
                        .contains("'90' is not a number (write it without quotes)"));
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("'ten' is not a number"));
    }

    @Test
    void anUnknownLoadBalancerAndATimeoutThatIsNotADuration() {
        Map<String, GenericKubernetesResource> region = new TreeMap<>(Manifests.read(Repo.ROOT, "cn-north"));
        GenericKubernetesResource dr = Serialization.unmarshal("""
                apiVersion: networking.istio.io/v1beta1
                kind: DestinationRule
                metadata: {name: gateway, namespace: istio-system}
                spec:
                  host: knative-local-gateway.istio-system.svc.cluster.local
                  trafficPolicy:
                    loadBalancer: {simple: FASTEST}
                """, GenericKubernetesResource.class);
        region.put("istio/cn-north/destination-rule-gateway.yaml", dr);
        GenericKubernetesResource vs = copy(region.get(VS));
        map(((List<?>) map(vs.getAdditionalProperties().get("spec")).get("http")).get(1))
                .put("timeout", "five seconds");
        region.put(VS, vs);
        List<Finding> f = VALIDATION.check(region);
        assertThat(f)
                .anySatisfy(x -> assertThat(x.toString())
                        .contains("loadBalancer.simple")
                        .contains("'FASTEST' is not a load balancer"));
        assertThat(f)
                .anySatisfy(x -> assertThat(x.toString())
                        .contains("spec.http[1].timeout")
                        .contains("'five seconds' is not a duration"));
    }

    @Test
    void aVirtualServiceOnAHostKnativeManagesIsIST0109() {
        List<Finding> f = broken(VS, spec -> {
            spec.put("hosts", List.of("routing.meshdesk.svc.cluster.local"));
            spec.put("gateways", List.of("mesh"));
        });
        assertThat(f)
                .anySatisfy(x -> assertThat(x.toString())
                        .contains("spec.hosts[0]")
                        .contains("host routing.meshdesk.svc.cluster.local is managed by Knative")
                        .contains("IST0109"));
    }

    @Test
    void twoVirtualServicesOnOneHostConflict() {
        Map<String, GenericKubernetesResource> region = new TreeMap<>(Manifests.read(Repo.ROOT, "cn-north"));
        GenericKubernetesResource second = copy(region.get(VS));
        second.getMetadata().setName("routing-2");
        region.put("istio/cn-north/virtual-service-routing-2.yaml", second);
        assertThat(VALIDATION.check(region))
                .anySatisfy(x -> assertThat(x.toString())
                        .contains(
                                "host routing.cn-north.meshdesk.example.com on gateway meshdesk/meshdesk-ingress is also "
                                        + "routed by")
                        .contains("IST0109"));
    }

    @Test
    void aSubsetOrHostOrGatewayThatDoesNotExistIsIST0101() {
        List<Finding> f = broken(VS, spec -> {
            spec.put("gateways", List.of("meshdesk/nowhere"));
            Map<String, Object> dest = dest(route(spec, 1).get(0));
            dest.put("subset", "v2");
            map(route(spec, 0).get(0)).put("destination", Map.of("host", "billing.meshdesk.svc.cluster.local"));
        });
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("gateway meshdesk/nowhere is not rendered"));
        assertThat(f)
                .anySatisfy(x -> assertThat(x.toString())
                        .contains("subset v2 of routing.meshdesk.svc.cluster.local"
                                + " is not defined by any DestinationRule (IST0101)"));
        assertThat(f)
                .anySatisfy(x -> assertThat(x.toString())
                        .contains("host billing.meshdesk.svc.cluster.local is " + "not a Knative Service"));
    }

    @Test
    void aGatewayHostThatNoVirtualServiceServes() {
        List<Finding> f = broken("istio/cn-north/gateway-ingress.yaml", spec -> {
            Map<String, Object> server = map(((List<?>) spec.get("servers")).get(0));
            List<Object> hosts = new ArrayList<>((List<?>) server.get("hosts"));
            hosts.add("tickets.cn-north.meshdesk.example.com");
            server.put("hosts", hosts);
        });
        assertThat(f)
                .anySatisfy(x -> assertThat(x.toString())
                        .contains("host tickets.cn-north.meshdesk.example.com "
                                + "is opened but no VirtualService bound to meshdesk/meshdesk-ingress serves it"));
    }

    @Test
    void aPrincipalNoWorkloadRunsAsAndAServiceWithoutItsAccount() {
        Map<String, GenericKubernetesResource> region = new TreeMap<>(Manifests.read(Repo.ROOT, "cn-north"));
        region.remove("knative/cn-north/service-account-chat.yaml");
        GenericKubernetesResource policy = copy(region.get("istio/cn-north/authorization-policy-routing.yaml"));
        String yaml = Serialization.asYaml(policy)
                .replace("sa/istio-ingressgateway\"", "sa/istio-ingressgateway-service-account\"");
        region.put(
                "istio/cn-north/authorization-policy-routing.yaml",
                Serialization.unmarshal(yaml, GenericKubernetesResource.class));
        region.remove("istio/cn-north/authorization-policy-allow-nothing.yaml");
        List<Finding> f = VALIDATION.check(region);
        assertThat(f)
                .anySatisfy(x -> assertThat(x.toString())
                        .contains("no workload runs as "
                                + "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"));
        assertThat(f)
                .anySatisfy(x -> assertThat(x.toString())
                        .contains("no workload runs as " + "cluster.local/ns/meshdesk/sa/chat;"));
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("service account chat is not rendered"));
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("no allow-nothing policy"));
    }

    @Test
    void knativeTrafficThatDoesNotAddUpAndARevisionWithoutKialiLabels() {
        List<Finding> f = broken("knative/cn-north/service-routing.yaml", spec -> {
            map(((List<?>) spec.get("traffic")).get(0)).put("percent", 80);
            map(((List<?>) spec.get("traffic")).get(1)).put("revisionName", "ticketing-v2-abcdef0");
            map(map(map(spec.get("template")).get("metadata")).get("labels")).remove("version");
        });
        assertThat(f)
                .anySatisfy(
                        x -> assertThat(x.toString()).contains("spec.traffic").contains("add up to 80"));
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("'ticketing-v2-abcdef0' is not a revision of"));
        assertThat(f)
                .anySatisfy(
                        x -> assertThat(x.toString()).contains("labels.version").contains("Kiali"));
    }

    @Test
    void theSchemaCatchesAMisspelledFieldAndAnUnknownEnumValue() {
        List<Finding> f = broken("istio/cn-north/peer-authentication-default.yaml", spec -> {
            map(spec.get("mtls")).put("mode", "STRICTER");
            spec.put("mtlss", Map.of());
        });
        assertThat(f)
                .anySatisfy(
                        x -> assertThat(x.toString()).contains("spec.mtls.mode").contains("enumeration"));
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("mtlss"));
        List<Finding> knative = broken(
                "knative/cn-north/service-chat.yaml",
                spec -> map(map(spec.get("template")).get("spec")).put("serviceAcountName", "chat"));
        assertThat(knative).anySatisfy(x -> assertThat(x.toString()).contains("serviceAcountName"));
    }

    @Test
    void noRenderedInputCrashesValidate() {
        for (String file : Manifests.read(Repo.ROOT, "cn-north").keySet()) {
            for (Object junk : new Object[] {"x", 7, List.of(1), Map.of("a", "b")}) {
                assertThatCode(() -> broken(file, spec -> spec.replaceAll((k, v) -> junk)))
                        .as(file + " " + junk)
                        .doesNotThrowAnyException();
            }
        }
    }

    private static List<Finding> broken(String file, Consumer<Map<String, Object>> change) {
        Map<String, GenericKubernetesResource> region = new TreeMap<>(Manifests.read(Repo.ROOT, "cn-north"));
        GenericKubernetesResource copy = copy(region.get(file));
        Map<String, Object> spec = map(copy.getAdditionalProperties().get("spec"));
        if (spec != null) {
            change.accept(spec);
        }
        region.put(file, copy);
        return VALIDATION.check(region);
    }

    private static GenericKubernetesResource copy(GenericKubernetesResource r) {
        return Serialization.unmarshal(Serialization.asJson(r), GenericKubernetesResource.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> route(Map<String, Object> spec, int i) {
        return (List<Map<String, Object>>)
                map(((List<?>) spec.get("http")).get(i)).get("route");
    }

    static Map<String, Object> dest(Map<String, Object> weighted) {
        return map(weighted.get("destination"));
    }
}
