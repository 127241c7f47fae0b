package io.meshdesk.meshconfig.canary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshdesk.meshconfig.cluster.ClusterSync;
import io.meshdesk.meshconfig.cluster.ControllerFields;
import io.meshdesk.meshconfig.model.ConfigError;

/**
 * The only writes the canary controller makes to rendered objects: the fields they name as
 * the controller's (annotation canary.meshdesk.io/controller-owns): the Knative Service's
 * spec.traffic and the ingress route's mirrorPercentage. Everything else stays as Git says.
 */
public final class Routes {

    private static final ObjectMapper JSON = Serialization.jsonMapper();
    private final KubernetesClient client;
    private final String namespace;
    private final String function;

    public Routes(KubernetesClient client, String namespace, String function) {
        this.client = client;
        this.namespace = namespace;
        this.function = function;
    }

    /** The live Knative Service of the function; the rollout needs it applied first. */
    public GenericKubernetesResource service() {
        GenericKubernetesResource svc = client.genericKubernetesResources(kind("Service"))
                .inNamespace(namespace)
                .withName(function)
                .get();
        if (svc == null) {
            throw new ConfigError(
                    "cluster",
                    "Service " + namespace + "/" + function,
                    "is not in the cluster; apply " + "the rendered files first (bin/meshctl apply)");
        }
        if (ControllerFields.pointers(svc).length == 0) {
            throw new ConfigError(
                    "cluster",
                    "Service " + namespace + "/" + function,
                    "does not name the canary "
                            + "controller's fields (annotation canary.meshdesk.io/controller-owns): apply the render with the "
                            + "canary file first");
        }
        return svc;
    }

    /** The candidate revision: the one the live template creates. */
    public String candidateRevision() {
        return String.valueOf(((Map<?, ?>) ((Map<?, ?>)
                                ((Map<?, ?>) service().getAdditionalProperties().get("spec")).get("template"))
                        .get("metadata"))
                .get("name"));
    }

    /** The stable revision: the live traffic entry tagged stable (or with the most traffic). */
    @SuppressWarnings("unchecked")
    public String stableRevision(String candidate) {
        List<Map<String, Object>> traffic = (List<Map<String, Object>>)
                ((Map<String, Object>) service().getAdditionalProperties().get("spec")).get("traffic");
        return traffic.stream()
                .filter(t -> "stable".equals(t.get("tag")) && !candidate.equals(t.get("revisionName")))
                .map(t -> String.valueOf(t.get("revisionName")))
                .findFirst()
                .orElseGet(() -> traffic.stream()
                        .filter(t -> !candidate.equals(t.get("revisionName")))
                        .map(t -> String.valueOf(t.get("revisionName")))
                        .findFirst()
                        .orElseThrow(() -> new ConfigError(
                                "cluster",
                                "Service " + namespace + "/" + function,
                                "has no stable revision in its traffic to roll out from")));
    }

    /** Weight to the candidate, the rest to stable; mirrorPercent on the ingress route (0 turns it off). */
    public void set(String stable, String candidate, int weight, int mirrorPercent) {
        traffic(List.of(entry(stable, 100 - weight, "stable"), entry(candidate, weight, "canary")));
        mirror(mirrorPercent);
    }

    /** The candidate takes everything; the old revision stays in the block at 0% for a quick return. */
    public void promote(String stable, String candidate) {
        traffic(List.of(entry(candidate, 100, "stable"), entry(stable, 0, "previous")));
        mirror(0);
    }

    public void rollback(String stable, String candidate) {
        set(stable, candidate, 0, 0);
    }

    /** The candidate's live weight as the cluster has it. */
    @SuppressWarnings("unchecked")
    public int weight(String candidate) {
        List<Map<String, Object>> traffic = (List<Map<String, Object>>)
                ((Map<String, Object>) service().getAdditionalProperties().get("spec")).get("traffic");
        return traffic.stream()
                .filter(t -> candidate.equals(t.get("revisionName")) && !"previous".equals(t.get("tag")))
                .mapToInt(t -> ((Number) t.getOrDefault("percent", 0)).intValue())
                .sum();
    }

    private static Map<String, Object> entry(String revision, int percent, String tag) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("revisionName", revision);
        e.put("percent", percent);
        e.put("tag", tag);
        return e;
    }

    private void traffic(List<Map<String, Object>> traffic) {
        client.genericKubernetesResources(kind("Service"))
                .inNamespace(namespace)
                .withName(function)
                .edit(svc -> {
                    ObjectNode tree = JSON.valueToTree(svc);
                    ((ObjectNode) tree.get("spec")).set("traffic", JSON.valueToTree(new ArrayList<>(traffic)));
                    return JSON.convertValue(tree, GenericKubernetesResource.class);
                });
    }

    private void mirror(int percent) {
        GenericKubernetesResource vs = client.genericKubernetesResources(kind("VirtualService"))
                .inNamespace(namespace)
                .withName(function)
                .get();
        if (vs == null) {
            return;
        }
        for (String p : ControllerFields.pointers(vs)) {
            if (p.trim().endsWith("/mirrorPercentage")) {
                client.genericKubernetesResources(kind("VirtualService"))
                        .inNamespace(namespace)
                        .withName(function)
                        .edit(live -> {
                            ObjectNode tree = JSON.valueToTree(live);
                            ControllerFields.set(
                                    tree, JsonPointer.compile(p.trim()), JSON.valueToTree(Map.of("value", (double)
                                            percent)));
                            return JSON.convertValue(tree, GenericKubernetesResource.class);
                        });
            }
        }
    }

    private static io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind(String kind) {
        return ClusterSync.KINDS.stream()
                .filter(k -> k.getKind().equals(kind))
                .findFirst()
                .orElseThrow();
    }
}
