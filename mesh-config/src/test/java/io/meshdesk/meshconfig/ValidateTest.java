package io.meshdesk.meshconfig;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Each class of mistake an operator could make in a rendered resource is caught, with file, field and fix. */
class ValidateTest {

    static final Validation VALIDATION = new Validation();

    @Test
    void whatIsRenderedFromTheRepositoryIsValid() {
        assertThat(VALIDATION.check(Manifests.read(Repo.ROOT, "cn-north"))).isEmpty();
        assertThat(Repo.meshctl("validate", "--root", Repo.ROOT.toString(),
                "--topology", Repo.ROOT.resolve("mesh-config/topology.yaml").toString(),
                "--canaries", Repo.ROOT.resolve("mesh-config/canaries").toString()).output())
                .contains("0 problems");
    }

    @Test
    void weightsThatDoNotAddUpTo100() {
        List<Finding> f = broken("istio/cn-north/virtual-service-routing.yaml",
                spec -> route(spec, 1).get(0).put("weight", 95));
        assertThat(f).anySatisfy(x -> {
            assertThat(x.file()).isEqualTo("istio/cn-north/virtual-service-routing.yaml");
            assertThat(x.field()).isEqualTo("spec.http[1].route");
            assertThat(x.problem()).contains("add up to 105");
        });
    }

    @Test
    void aRouteToASubsetNoDestinationRuleDefines() {
        List<Finding> f = broken("istio/cn-north/virtual-service-routing.yaml",
                spec -> dest(route(spec, 1).get(1)).put("subset", "v3"));
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("spec.http[1].route[1].destination.subset")
                .contains("subset v3 is not defined"));
    }

    @Test
    void localityFailoverWithoutOutlierDetection() {
        List<Finding> f = broken("istio/cn-north/destination-rule-chat.yaml",
                spec -> map(spec.get("trafficPolicy")).remove("outlierDetection"));
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("outlierDetection")
                .contains("Istio never fails over"));
    }

    @Test
    void aMirrorToASubsetThatAlsoTakesLiveTraffic() {
        List<Finding> f = broken("istio/cn-north/virtual-service-routing.yaml", spec -> {
            Map<String, Object> standard = map(((List<?>) spec.get("http")).get(1));
            standard.put("mirror", Map.of("host", "routing.meshdesk.svc.cluster.local", "subset", "v2"));
        });
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("spec.http[1].mirror")
                .contains("also sends live traffic"));
    }

    @Test
    void aGatewayOrHostThatDoesNotExist() {
        List<Finding> f = broken("istio/cn-north/virtual-service-routing.yaml", spec -> {
            spec.put("gateways", List.of("meshdesk/nowhere", "mesh"));
            dest(route(spec, 1).get(0)).put("host", "billing.meshdesk.svc.cluster.local");
        });
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("gateway meshdesk/nowhere is not rendered"));
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("no DestinationRule for host billing"));
    }

    @Test
    void theSchemaCatchesAMisspelledFieldAndAnUnknownEnumValue() {
        List<Finding> f = broken("istio/cn-north/destination-rule-chat.yaml", spec -> {
            Map<String, Object> policy = map(spec.get("trafficPolicy"));
            map(policy.get("tls")).put("mode", "MUTUAL_ISTIO");
            policy.put("outlierDetecton", Map.of());
        });
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("spec.trafficPolicy.tls.mode")
                .contains("enumeration"));
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("outlierDetecton"));
    }

    @Test
    void knativeTrafficThatDoesNotAddUpAndARevisionWithoutKialiLabels() {
        List<Finding> f = broken("knative/cn-north/service-routing.yaml", spec -> {
            map(((List<?>) spec.get("traffic")).get(0)).put("percent", 80);
            map(map(map(spec.get("template")).get("metadata")).get("labels")).remove("version");
        });
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("spec.traffic").contains("add up to 90"));
        assertThat(f).anySatisfy(x -> assertThat(x.toString()).contains("labels.version").contains("Kiali"));
    }

    private static List<Finding> broken(String file, Consumer<Map<String, Object>> change) {
        Map<String, GenericKubernetesResource> region = new TreeMap<>(Manifests.read(Repo.ROOT, "cn-north"));
        GenericKubernetesResource copy = Serialization.unmarshal(Serialization.asJson(region.get(file)),
                GenericKubernetesResource.class);
        change.accept(map(copy.getAdditionalProperties().get("spec")));
        region.put(file, copy);
        return VALIDATION.check(region);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> route(Map<String, Object> spec, int i) {
        return (List<Map<String, Object>>) map(((List<?>) spec.get("http")).get(i)).get("route");
    }

    static Map<String, Object> dest(Map<String, Object> weighted) {
        return map(weighted.get("destination"));
    }
}
