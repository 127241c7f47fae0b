package io.meshdesk.meshconfig.render;

import static io.meshdesk.meshconfig.render.Fields.list;
import static io.meshdesk.meshconfig.render.Fields.of;
import static io.meshdesk.meshconfig.render.Fields.resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import io.meshdesk.meshconfig.model.Canary;
import io.meshdesk.meshconfig.model.MeshConfig;
import io.meshdesk.meshconfig.model.Topology;
import io.meshdesk.meshconfig.model.Topology.Function;
import io.meshdesk.meshconfig.model.Topology.Region;

/**
 * The Istio side of a region: gateways, per-function routes and destination rules, and the
 * security resources (STRICT mTLS, JWT at the ingress, allow-only-what-is-needed policies).
 */
public final class IstioRenderer implements MeshRenderer {

    static final String NETWORKING = "networking.istio.io/v1beta1";
    static final String SECURITY = "security.istio.io/v1beta1";
    static final String INGRESS_GATEWAY = "meshdesk-ingress";
    static final String ROLE_HEADER = "x-user-role";

    @Override
    public List<Rendered> render(MeshConfig config, Region region) {
        Topology t = config.topology();
        String ns = t.namespace();
        List<Rendered> out = new ArrayList<>();
        out.add(istio(region, "gateway-ingress.yaml", resource(NETWORKING, "Gateway", INGRESS_GATEWAY, ns, Map.of(),
                of("selector", of("istio", "ingressgateway"),
                        "servers", list(of(
                                "port", of("number", 443, "name", "https", "protocol", "HTTPS"),
                                "tls", of("mode", "SIMPLE", "credentialName", region.tlsSecret()),
                                "hosts", list(region.ingressHost(), "*." + region.ingressHost())))))));
        out.add(istio(region, "gateway-eastwest.yaml", resource(NETWORKING, "Gateway", "meshdesk-eastwest", ns,
                Map.of(), of("selector", of("istio", "eastwestgateway"),
                        "servers", list(of(
                                "port", of("number", 15443, "name", "tls", "protocol", "TLS"),
                                "tls", of("mode", "AUTO_PASSTHROUGH"),
                                "hosts", list("*.local")))))));
        out.add(istio(region, "peer-authentication-default.yaml", resource(SECURITY, "PeerAuthentication", "default",
                ns, Map.of(), of("mtls", of("mode", "STRICT")))));
        out.add(istio(region, "request-authentication-ingress.yaml", resource(SECURITY, "RequestAuthentication",
                "meshdesk-jwt", "istio-system", Map.of(), of(
                        "selector", of("matchLabels", of("istio", "ingressgateway")),
                        "jwtRules", list(of("issuer", t.jwt().issuer(), "jwksUri", t.jwt().jwksUri(),
                                "forwardOriginalToken", true))))));
        for (Function f : t.functions()) {
            Canary canary = config.canaries().stream().filter(c -> c.function().equals(f.name())
                    && c.covers(region.name())).findFirst().orElse(null);
            out.add(istio(region, "virtual-service-" + f.name() + ".yaml", virtualService(t, region, f, canary)));
            out.add(istio(region, "destination-rule-" + f.name() + ".yaml",
                    destinationRule(t, region, f, f.name(), subsets(f, canary))));
            if (f.premiumPool().isPresent()) {
                out.add(istio(region, "destination-rule-" + f.name() + "-premium.yaml",
                        destinationRule(t, region, f, f.name() + "-premium", List.of(subset(f.version())))));
            }
            out.add(istio(region, "authorization-policy-" + f.name() + ".yaml", authorizationPolicy(t, f)));
        }
        return out;
    }

    static String host(Topology t, String service) {
        return service + "." + t.namespace() + ".svc.cluster.local";
    }

    static String publicHost(Region region, Function f) {
        return f.name() + "." + region.ingressHost();
    }

    private Map<String, Object> retries(Function f) {
        return f.retries().attempts() == 0 ? of("attempts", 0)
                : of("attempts", f.retries().attempts(), "perTryTimeout", f.retries().perTryTimeout(),
                        "retryOn", f.retries().retryOn());
    }

    private GenericKubernetesResource virtualService(Topology t, Region region,
            Function f, Canary canary) {
        String ns = t.namespace();
        List<Object> hosts = new ArrayList<>(List.of(host(t, f.name())));
        List<Object> gateways = new ArrayList<>(List.of("mesh"));
        if (f.isPublic()) {
            hosts.add(publicHost(region, f));
            gateways.add(0, ns + "/" + INGRESS_GATEWAY);
        }
        List<Object> routes = new ArrayList<>();
        if (f.isPublic() && f.premiumPool().isPresent()) {
            // Premium is decided by the verified JWT claim at the ingress, never by a header.
            routes.add(of("name", "premium",
                    "match", list(of("gateways", list(ns + "/" + INGRESS_GATEWAY),
                            "headers", of("@request.auth.claims." + t.jwt().roleClaim(), of("exact", "premium")))),
                    "headers", of("request", of("set", of(ROLE_HEADER, "premium"))),
                    "route", list(of("destination", of("host", host(t, f.name() + "-premium"),
                            "subset", f.version(), "port", of("number", 80)), "weight", 100)),
                    "timeout", f.timeout(),
                    "retries", retries(f)));
        }
        List<Object> destinations = new ArrayList<>();
        int weight = canary == null ? 0 : canary.weight();
        destinations.add(of("destination", of("host", host(t, f.name()), "subset", f.version(),
                "port", of("number", 80)), "weight", 100 - weight));
        if (canary != null && weight > 0) {
            destinations.add(of("destination", of("host", host(t, f.name()), "subset", canary.canaryVersion(),
                    "port", of("number", 80)), "weight", weight));
        }
        Map<String, Object> standard = of("name", "standard",
                // Whatever role a client claims in a header is overwritten here.
                "headers", of("request", of("set", of(ROLE_HEADER, "standard"))),
                "route", destinations,
                "timeout", f.timeout(),
                "retries", retries(f));
        // Mirroring is the phase before any live weight moves (Flagger's step 0): a mirror to a
        // subset that also takes weighted traffic would send those requests twice.
        if (canary != null && weight == 0 && canary.analysis().mirrorPercentage() > 0) {
            standard.put("mirror", of("host", host(t, f.name()), "subset", canary.canaryVersion(),
                    "port", of("number", 80)));
            standard.put("mirrorPercentage", of("value", (double) canary.analysis().mirrorPercentage()));
        }
        routes.add(standard);
        return resource(NETWORKING, "VirtualService", f.name(), ns, Map.of("app", f.name()),
                of("hosts", hosts, "gateways", gateways, "http", routes));
    }

    private List<Object> subsets(Function f, Canary canary) {
        List<Object> subsets = new ArrayList<>(List.of(subset(f.version())));
        if (canary != null) {
            subsets.add(subset(canary.canaryVersion()));
        }
        return subsets;
    }

    private static Map<String, Object> subset(String version) {
        return of("name", version, "labels", of("version", version));
    }

    private GenericKubernetesResource destinationRule(Topology t, Region region,
            Function f, String service, List<Object> subsets) {
        List<Object> failover = new ArrayList<>();
        for (Region from : t.regions()) {
            for (String to : t.failoverFrom(from.name())) {
                failover.add(of("from", from.name(), "to", to));
            }
        }
        Map<String, Object> loadBalancer = of("localityLbSetting", of("enabled", true, "failover", failover));
        if (f.sessionAffinityHeader() != null) {
            // Chat: one session's packets go to one instance while it lives.
            loadBalancer.put("consistentHash", of("httpHeaderName", f.sessionAffinityHeader()));
        } else {
            loadBalancer.put("simple", "LEAST_REQUEST");
        }
        return resource(NETWORKING, "DestinationRule", service, t.namespace(), Map.of("app", f.name()), of(
                "host", host(t, service),
                "trafficPolicy", of(
                        "tls", of("mode", "ISTIO_MUTUAL"),
                        "loadBalancer", loadBalancer,
                        // Locality failover only happens when outlier detection ejects the local endpoints.
                        "outlierDetection", of("consecutive5xxErrors", 5, "interval", "10s",
                                "baseEjectionTime", "30s", "maxEjectionPercent", 100)),
                "subsets", subsets));
    }

    private GenericKubernetesResource authorizationPolicy(Topology t, Function f) {
        List<Object> principals = new ArrayList<>();
        for (String caller : f.callers() == null ? List.<String>of() : f.callers()) {
            principals.add("cluster.local/ns/" + t.namespace() + "/sa/" + caller);
        }
        if (f.isPublic()) {
            principals.add("cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account");
        }
        List<Object> rules = new ArrayList<>();
        if (!principals.isEmpty()) {
            rules.add(of("from", list(of("source", of("principals", principals)))));
        }
        // Knative's activator and autoscaler probe every revision.
        rules.add(of("from", list(of("source", of("namespaces", list("knative-serving"))))));
        return resource(SECURITY, "AuthorizationPolicy", f.name(), t.namespace(), Map.of("app", f.name()), of(
                "selector", of("matchLabels", of("app", f.name())),
                "action", "ALLOW",
                "rules", rules));
    }

    private static Rendered istio(Region region, String file,
            GenericKubernetesResource resource) {
        return new Rendered("istio", region.name(), file, resource);
    }
}
