package io.meshdesk.meshconfig.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.meshdesk.meshconfig.render.KnativeRenderer;

import static io.meshdesk.meshconfig.render.SpecReader.map;
import static io.meshdesk.meshconfig.render.SpecReader.maps;

/**
 * Brings one cluster to the rendered state of its region: creates what is missing, updates what
 * differs, leaves alone what matches (so applying twice changes nothing), and removes resources
 * meshdesk manages (label {@code app.kubernetes.io/managed-by: meshdesk}) that are no longer
 * rendered. Fields a canary controller owns (annotation {@value KnativeRenderer#CONTROLLER_OWNS})
 * keep their live values. Nothing is written when a traffic block would name a revision the
 * cluster does not have.
 */
public final class ClusterSync {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    /** The kinds meshctl renders, with what the API needs to address them. */
    public static final List<ResourceDefinitionContext> KINDS = List.of(
            kind("", "v1", "ServiceAccount", "serviceaccounts"),
            kind("networking.istio.io", "v1beta1", "Gateway", "gateways"),
            kind("networking.istio.io", "v1beta1", "VirtualService", "virtualservices"),
            kind("networking.istio.io", "v1beta1", "DestinationRule", "destinationrules"),
            kind("security.istio.io", "v1beta1", "PeerAuthentication", "peerauthentications"),
            kind("security.istio.io", "v1beta1", "RequestAuthentication", "requestauthentications"),
            kind("security.istio.io", "v1beta1", "AuthorizationPolicy", "authorizationpolicies"),
            kind("serving.knative.dev", "v1", "Service", "services"));

    public static final ResourceDefinitionContext REVISIONS =
            kind("serving.knative.dev", "v1", "Revision", "revisions");

    /** What happened, or would happen, to one resource. */
    public record Change(Action action, String kind, String namespace, String name, String file) {
        @Override
        public String toString() {
            return action.label + " " + kind + " " + namespace + "/" + name + (file == null ? "" : " (" + file + ")");
        }
    }

    public enum Action {
        CREATE("create"),
        UPDATE("update"),
        UNCHANGED("unchanged"),
        PRUNE("prune");

        final String label;

        Action(String label) {
            this.label = label;
        }
    }

    /** The changes a sync makes, and the problems that stop it from making any. */
    public record Plan(List<Change> changes, List<String> problems) {}

    private record Step(Change change, ResourceDefinitionContext ctx, GenericKubernetesResource write) {}

    private final KubernetesClient client;

    public ClusterSync(KubernetesClient client) {
        this.client = client;
    }

    /** Rendered versus live, resource by resource; applies the changes unless dryRun or a problem was found. */
    public Plan sync(Map<String, GenericKubernetesResource> rendered, boolean dryRun) {
        List<Step> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        Set<String> namespaces = new HashSet<>();
        rendered.forEach((file, r) -> {
            ResourceDefinitionContext ctx = context(r);
            String ns = r.getMetadata().getNamespace();
            namespaces.add(ns);
            wanted.add(key(r.getKind(), ns, r.getMetadata().getName()));
            GenericKubernetesResource live = client.genericKubernetesResources(ctx)
                    .inNamespace(ns)
                    .withName(r.getMetadata().getName())
                    .get();
            GenericKubernetesResource want = live == null ? r : ControllerFields.keepLive(r, live);
            if (want.getKind().equals("Service") && want.getApiVersion().startsWith("serving.knative.dev/")) {
                problems.addAll(missingRevisions(file, want));
            }
            Action action = live == null ? Action.CREATE : contains(live, want) ? Action.UNCHANGED : Action.UPDATE;
            Change change = new Change(action, r.getKind(), ns, r.getMetadata().getName(), file);
            if (action == Action.UPDATE) {
                want.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
            }
            steps.add(new Step(change, ctx, want));
        });
        for (ResourceDefinitionContext ctx : KINDS) {
            for (String ns : namespaces) {
                for (GenericKubernetesResource live : client.genericKubernetesResources(ctx)
                        .inNamespace(ns)
                        .withLabel(MANAGED_BY, "meshdesk")
                        .list()
                        .getItems()) {
                    if (live.getKind() != null && !live.getKind().equals(ctx.getKind())) {
                        continue;
                    }
                    String name = live.getMetadata().getName();
                    if (!wanted.contains(key(ctx.getKind(), ns, name))) {
                        steps.add(new Step(new Change(Action.PRUNE, ctx.getKind(), ns, name, null), ctx, null));
                    }
                }
            }
        }
        if (!dryRun && problems.isEmpty()) {
            for (Step s : steps) {
                var op = client.genericKubernetesResources(s.ctx())
                        .inNamespace(s.change().namespace());
                switch (s.change().action()) {
                    case CREATE -> op.resource(s.write()).create();
                    case UPDATE -> op.resource(s.write()).update();
                    case PRUNE -> op.withName(s.change().name()).delete();
                    case UNCHANGED -> {}
                }
            }
        }
        return new Plan(steps.stream().map(Step::change).toList(), problems);
    }

    /**
     * A traffic block may name the revision its own template creates; any other revision (the
     * stable one of a canary) must already be in the cluster, or Knative would route to nothing.
     */
    private List<String> missingRevisions(String file, GenericKubernetesResource service) {
        Map<String, Object> spec = map(service.getAdditionalProperties().get("spec"));
        Object own = map(map(spec.get("template")).get("metadata")).get("name");
        List<String> missing = new ArrayList<>();
        for (Map<String, Object> t : maps(spec.get("traffic"))) {
            Object revision = t.get("revisionName");
            if (revision == null || revision.equals(own)) {
                continue;
            }
            if (client.genericKubernetesResources(REVISIONS)
                            .inNamespace(service.getMetadata().getNamespace())
                            .withName(revision.toString())
                            .get()
                    == null) {
                missing.add(file + ": spec.traffic names revision " + revision + ", which the cluster does not have; "
                        + "apply the region without the canary first (its stable revision), or fix the canary's "
                        + "stableVersion");
            }
        }
        return missing;
    }

    /**
     * Whether the live object already says everything the rendered one says. Live objects carry
     * more (defaults the API server and Knative fill in, status), so containment, not equality.
     */
    static boolean contains(GenericKubernetesResource live, GenericKubernetesResource rendered) {
        Map<String, Object> liveTop = new LinkedHashMap<>(live.getAdditionalProperties());
        liveTop.remove("status");
        return subset(rendered.getAdditionalProperties(), liveTop)
                && subset(rendered.getMetadata().getLabels(), live.getMetadata().getLabels())
                && subset(
                        rendered.getMetadata().getAnnotations(),
                        live.getMetadata().getAnnotations());
    }

    @SuppressWarnings("unchecked")
    private static boolean subset(Object rendered, Object live) {
        if (rendered == null) {
            return true;
        }
        if (rendered instanceof Map<?, ?> r) {
            if (!(live instanceof Map<?, ?> l)) {
                return r.isEmpty() && live == null;
            }
            for (Map.Entry<?, ?> e : ((Map<Object, Object>) r).entrySet()) {
                if (!subset(e.getValue(), l.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (rendered instanceof List<?> r) {
            if (!(live instanceof List<?> l) || l.size() != r.size()) {
                return false;
            }
            for (int i = 0; i < r.size(); i++) {
                if (!subset(r.get(i), l.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (rendered instanceof Number a && live instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        return Objects.equals(rendered, live);
    }

    private static String key(String kind, String ns, String name) {
        return kind + "/" + ns + "/" + name;
    }

    public static ResourceDefinitionContext context(GenericKubernetesResource r) {
        int slash = r.getApiVersion().indexOf('/');
        String group = slash < 0 ? "" : r.getApiVersion().substring(0, slash);
        return KINDS.stream()
                .filter(k -> k.getKind().equals(r.getKind()) && k.getGroup().equals(group))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        r.getApiVersion() + " " + r.getKind() + " is not a kind meshctl manages"));
    }

    private static ResourceDefinitionContext kind(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }
}
