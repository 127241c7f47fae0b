package io.meshdesk.meshconfig.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.meshdesk.meshconfig.model.Canary;
import io.meshdesk.meshconfig.model.MeshConfig;
import io.meshdesk.meshconfig.model.Topology;
import io.meshdesk.meshconfig.model.Topology.Function;
import io.meshdesk.meshconfig.model.Topology.Region;

import static io.meshdesk.meshconfig.render.Fields.list;
import static io.meshdesk.meshconfig.render.Fields.of;
import static io.meshdesk.meshconfig.render.Fields.resource;

/**
 * The Istio side of a region, only on hosts meshdesk owns (docs/adr/0002): the ingress and
 * east-west gateways, a VirtualService per public function on its regional ingress host (tier
 * routing, retries, timeouts, the canary mirror), and the security resources: STRICT mTLS, JWT
 * at the ingress, a namespace that allows nothing, and one allow per function and per store.
 * Nothing here names a host Knative manages; traffic between revisions is Knative's.
 */
public final class IstioRenderer implements MeshRenderer {

    static final String NETWORKING = "networking.istio.io/v1beta1";
    static final String SECURITY = "security.istio.io/v1beta1";
    static final String INGRESS_GATEWAY = "meshdesk-ingress";
    /** The header the ingress sets from the verified tier claim; whatever a client sent is replaced. */
    public static final String ROLE_HEADER = "x-user-role";

    @Override
    public List<Rendered> render(MeshConfig config, Region region) {
        Topology t = config.topology();
        String ns = t.namespace();
        Topology.IngressGateway gw = t.ingressGateway();
        List<Rendered> out = new ArrayList<>();
        List<Object> publicHosts = new ArrayList<>();
        for (Function f : t.functions()) {
            if (f.isPublic()) {
                publicHosts.add(publicHost(region, f));
            }
        }
        out.add(istio(
                region,
                "gateway-ingress.yaml",
                resource(
                        NETWORKING,
                        "Gateway",
                        INGRESS_GATEWAY,
                        ns,
                        Map.of(),
                        of(
                                "selector",
                                new LinkedHashMap<>(gw.labels()),
                                "servers",
                                list(of(
                                        "port", of("number", 443, "name", "https", "protocol", "HTTPS"),
                                        "tls", of("mode", "SIMPLE", "credentialName", region.tlsSecret()),
                                        "hosts", publicHosts))))));
        out.add(istio(
                region,
                "gateway-eastwest.yaml",
                resource(
                        NETWORKING,
                        "Gateway",
                        "meshdesk-eastwest",
                        ns,
                        Map.of(),
                        of(
                                "selector",
                                of("istio", "eastwestgateway"),
                                "servers",
                                list(of(
                                        "port", of("number", 15443, "name", "tls", "protocol", "TLS"),
                                        "tls", of("mode", "AUTO_PASSTHROUGH"),
                                        "hosts", list("*.local")))))));
        out.add(istio(
                region,
                "peer-authentication-default.yaml",
                resource(SECURITY, "PeerAuthentication", "default", ns, Map.of(), of("mtls", of("mode", "STRICT")))));
        out.add(istio(
                region,
                "request-authentication-ingress.yaml",
                resource(
                        SECURITY,
                        "RequestAuthentication",
                        "meshdesk-jwt",
                        gw.namespace(),
                        Map.of(),
                        of(
                                "selector", of("matchLabels", new LinkedHashMap<>(gw.labels())),
                                "jwtRules",
                                        list(of(
                                                "issuer",
                                                t.jwt().issuer(),
                                                "jwksUri",
                                                t.jwt().jwksUri(),
                                                "forwardOriginalToken",
                                                true))))));
        // An empty ALLOW policy matches nothing, so everything in the namespace is refused
        // unless one of the policies below allows it.
        out.add(istio(
                region,
                "authorization-policy-allow-nothing.yaml",
                resource(SECURITY, "AuthorizationPolicy", "allow-nothing", ns, Map.of(), of())));
        for (Function f : t.functions()) {
            if (f.isPublic()) {
                Canary canary = config.canary(f.name(), region.name()).orElse(null);
                out.add(istio(region, "virtual-service-" + f.name() + ".yaml", ingressRoute(t, region, f, canary)));
            }
            out.add(istio(region, "authorization-policy-" + f.name() + ".yaml", Security.functionPolicy(t, f)));
        }
        for (Topology.Datastore d : t.stores()) {
            out.add(istio(
                    region, "authorization-policy-" + d.name() + ".yaml", Security.storePolicy(config, region, d)));
        }
        return out;
    }

    /** A Knative Service's in-cluster host: the destination of meshdesk's routes, never one of their hosts. */
    public static String host(Topology t, String service) {
        return service + "." + t.namespace() + ".svc.cluster.local";
    }

    public static String publicHost(Region region, Function f) {
        return f.name() + "." + region.ingressHost();
    }

    private Map<String, Object> retries(Function f) {
        return f.retries().attempts() == 0
                ? of("attempts", 0)
                : of(
                        "attempts",
                        f.retries().attempts(),
                        "perTryTimeout",
                        f.retries().perTryTimeout(),
                        "retryOn",
                        f.retries().retryOn());
    }

    /** Knative's local gateway listens on port 80 for every Knative Service host. */
    private static Map<String, Object> knativeDestination(Topology t, String service) {
        return of("host", host(t, service), "port", of("number", 80));
    }

    /**
     * The route from the region's ingress host: the verified tier claim picks the premium pool,
     * the mesh sets the role header from it, and the standard route mirrors to a canary's
     * mirror target (its percentage is the canary controller's field while a canary runs).
     */
    private GenericKubernetesResource ingressRoute(Topology t, Region region, Function f, Canary canary) {
        String ns = t.namespace();
        String gateway = ns + "/" + INGRESS_GATEWAY;
        List<Object> routes = new ArrayList<>();
        if (f.premiumPool().isPresent()) {
            routes.add(of(
                    "name",
                    "premium",
                    "match",
                    list(of("headers", of("@request.auth.claims." + t.jwt().tierClaim(), of("exact", "premium")))),
                    "headers",
                    of("request", of("set", of(ROLE_HEADER, "premium"))),
                    "route",
                    list(of("destination", knativeDestination(t, f.name() + "-premium"))),
                    "timeout",
                    f.timeout(),
                    "retries",
                    retries(f)));
        }
        Map<String, Object> standard = of(
                "name",
                "standard",
                // Whatever role a client claims in a header is overwritten here.
                "headers",
                of("request", of("set", of(ROLE_HEADER, "standard"))),
                "route",
                list(of("destination", knativeDestination(t, f.name()))),
                "timeout",
                f.timeout(),
                "retries",
                retries(f));
        GenericKubernetesResource vs;
        if (canary != null && canary.mirrors()) {
            // The mirror target is a Knative Service of its own: net-istio mirrors nothing, and a
            // revision without a route would scale to zero. Only step 0 mirrors.
            standard.put("mirror", knativeDestination(t, f.name() + "-canary"));
            standard.put("mirrorPercentage", of("value", (double)
                    (canary.step() == 0 ? canary.analysis().mirrorPercentage() : 0)));
            routes.add(standard);
            vs = resource(
                    NETWORKING,
                    "VirtualService",
                    f.name(),
                    ns,
                    Map.of("app", f.name()),
                    of("hosts", list(publicHost(region, f)), "gateways", list(gateway), "http", routes));
            vs.getMetadata()
                    .setAnnotations(new LinkedHashMap<>(Map.of(
                            KnativeRenderer.CONTROLLER_OWNS,
                            "/spec/http/" + (routes.size() - 1) + "/mirrorPercentage")));
        } else {
            routes.add(standard);
            vs = resource(
                    NETWORKING,
                    "VirtualService",
                    f.name(),
                    ns,
                    Map.of("app", f.name()),
                    of("hosts", list(publicHost(region, f)), "gateways", list(gateway), "http", routes));
        }
        return vs;
    }

    private static Rendered istio(Region region, String file, GenericKubernetesResource resource) {
        return new Rendered("istio", region.name(), file, resource);
    }
}
