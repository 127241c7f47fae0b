package io.meshdesk.meshconfig.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.meshdesk.meshconfig.model.MeshConfig;
import io.meshdesk.meshconfig.model.Topology;
import io.meshdesk.meshconfig.model.Topology.Function;

import static io.meshdesk.meshconfig.render.Fields.list;
import static io.meshdesk.meshconfig.render.Fields.of;
import static io.meshdesk.meshconfig.render.Fields.resource;

/**
 * The AuthorizationPolicies that open the allow-nothing namespace exactly as far as the design
 * needs. Every principal is a service account meshctl renders, the ingress gateway's account
 * (from the topology, which terraform reads too) or a store's own account.
 */
final class Security {

    static final String SECURITY = IstioRenderer.SECURITY;

    private Security() {}

    /** Who may call a function: its callers (and their premium pools), the ingress when public, Knative. */
    static GenericKubernetesResource functionPolicy(Topology t, Function f) {
        List<Object> principals = new ArrayList<>();
        for (String caller : f.callerNames()) {
            t.function(caller).ifPresent(c -> t.workloads(c).forEach(w -> principals.add(t.principal(w))));
        }
        if (f.isPublic()) {
            principals.add(t.ingressGateway().principal());
        }
        List<Object> rules = new ArrayList<>();
        if (!principals.isEmpty()) {
            rules.add(of("from", list(of("source", of("principals", principals)))));
        }
        // Knative's activator (in the request path while a revision scales from zero) and its probes.
        rules.add(of("from", list(of("source", of("namespaces", list("knative-serving"))))));
        return resource(
                SECURITY,
                "AuthorizationPolicy",
                f.name(),
                t.namespace(),
                Map.of("app", f.name()),
                of("selector", of("matchLabels", of("app", f.name())), "action", "ALLOW", "rules", rules));
    }

    /**
     * Who may reach a store: the functions that use it, with their pools and any shadow mirror
     * target (it reads to decide, and commits nothing), the store's own members, and the
     * platform principals the topology names (an operator).
     */
    static GenericKubernetesResource storePolicy(MeshConfig config, Topology.Region region, Topology.Datastore d) {
        Topology t = config.topology();
        List<Object> principals = new ArrayList<>();
        for (String client : d.clients() == null ? List.<String>of() : d.clients()) {
            Function f = t.function(client).orElseThrow();
            t.workloads(f).forEach(w -> principals.add(t.principal(w)));
            config.canary(client, region.name())
                    .filter(c -> c.mirrors())
                    .ifPresent(c -> principals.add(t.principal(client + "-canary")));
        }
        principals.add(t.principal(d.serviceAccount()));
        if (d.platformPrincipals() != null) {
            principals.addAll(d.platformPrincipals());
        }
        List<Object> ports =
                d.ports().stream().map(p -> (Object) Integer.toString(p)).toList();
        return resource(
                SECURITY,
                "AuthorizationPolicy",
                d.name(),
                t.namespace(),
                Map.of("app", d.name()),
                of(
                        "selector", of("matchLabels", new LinkedHashMap<>(d.selector())),
                        "action", "ALLOW",
                        "rules",
                                list(of(
                                        "from", list(of("source", of("principals", principals))),
                                        "to", list(of("operation", of("ports", ports)))))));
    }
}
