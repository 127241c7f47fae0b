package io.meshdesk.meshconfig.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Brings one cluster to the rendered state of its region: creates what is missing, updates what
 * differs, leaves alone what matches (so applying twice changes nothing), and removes resources
 * meshdesk manages (label {@code app.kubernetes.io/managed-by: meshdesk}) that are no longer rendered.
 */
public final class ClusterSync {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    /** The kinds meshctl renders, with what the API needs to address them. */
    static final List<ResourceDefinitionContext> KINDS = List.of(
            kind("networking.istio.io", "v1beta1", "Gateway", "gateways"),
            kind("networking.istio.io", "v1beta1", "VirtualService", "virtualservices"),
            kind("networking.istio.io", "v1beta1", "DestinationRule", "destinationrules"),
            kind("security.istio.io", "v1beta1", "PeerAuthentication", "peerauthentications"),
            kind("security.istio.io", "v1beta1", "RequestAuthentication", "requestauthentications"),
            kind("security.istio.io", "v1beta1", "AuthorizationPolicy", "authorizationpolicies"),
            kind("serving.knative.dev", "v1", "Service", "services"));

    /** What happened, or would happen, to one resource. */
    public record Change(Action action, String kind, String namespace, String name, String file) {
        @Override
        public String toString() {
            return action.label + " " + kind + " " + namespace + "/" + name + (file == null ? "" : " (" + file + ")");
        }
    }

    public enum Action {
        CREATE("create"), UPDATE("update"), UNCHANGED("unchanged"), PRUNE("prune");

        final String label;

        Action(String label) {
            this.label = label;
        }
    }

    private final KubernetesClient client;

    public ClusterSync(KubernetesClient client) {
        this.client = client;
    }

    /** Rendered versus live, resource by resource; applies the changes unless dryRun. */
    public List<Change> sync(Map<String, GenericKubernetesResource> rendered, boolean dryRun) {
        List<Change> changes = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        Set<String> namespaces = new HashSet<>();
        rendered.forEach((file, r) -> {
            ResourceDefinitionContext ctx = context(r);
            String ns = r.getMetadata().getNamespace();
            namespaces.add(ns);
            wanted.add(key(r.getKind(), ns, r.getMetadata().getName()));
            var live = client.genericKubernetesResources(ctx).inNamespace(ns).withName(r.getMetadata().getName()).get();
            Action action = live == null ? Action.CREATE : same(live, r) ? Action.UNCHANGED : Action.UPDATE;
            changes.add(new Change(action, r.getKind(), ns, r.getMetadata().getName(), file));
            if (dryRun || action == Action.UNCHANGED) {
                return;
            }
            if (action == Action.CREATE) {
                client.genericKubernetesResources(ctx).inNamespace(ns).resource(r).create();
            } else {
                GenericKubernetesResource update = new GenericKubernetesResource();
                update.setApiVersion(r.getApiVersion());
                update.setKind(r.getKind());
                update.setMetadata(r.getMetadata());
                update.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
                update.setAdditionalProperties(r.getAdditionalProperties());
                client.genericKubernetesResources(ctx).inNamespace(ns).resource(update).update();
            }
        });
        for (ResourceDefinitionContext ctx : KINDS) {
            for (String ns : namespaces) {
                for (GenericKubernetesResource live : client.genericKubernetesResources(ctx).inNamespace(ns)
                        .withLabel(MANAGED_BY, "meshdesk").list().getItems()) {
                    if (!live.getKind().equals(ctx.getKind()) && live.getKind() != null) {
                        continue;
                    }
                    String name = live.getMetadata().getName();
                    if (!wanted.contains(key(ctx.getKind(), ns, name))) {
                        changes.add(new Change(Action.PRUNE, ctx.getKind(), ns, name, null));
                        if (!dryRun) {
                            client.genericKubernetesResources(ctx).inNamespace(ns).withName(name).delete();
                        }
                    }
                }
            }
        }
        return changes;
    }

    private static boolean same(GenericKubernetesResource live, GenericKubernetesResource rendered) {
        return Objects.equals(live.getAdditionalProperties().get("spec"), rendered.getAdditionalProperties().get("spec"))
                && Objects.equals(live.getMetadata().getLabels(), rendered.getMetadata().getLabels());
    }

    private static String key(String kind, String ns, String name) {
        return kind + "/" + ns + "/" + name;
    }

    static ResourceDefinitionContext context(GenericKubernetesResource r) {
        String group = r.getApiVersion().substring(0, r.getApiVersion().indexOf('/'));
        return KINDS.stream().filter(k -> k.getKind().equals(r.getKind()) && k.getGroup().equals(group)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(r.getApiVersion() + " " + r.getKind()
                        + " is not a kind meshctl manages"));
    }

    private static ResourceDefinitionContext kind(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
