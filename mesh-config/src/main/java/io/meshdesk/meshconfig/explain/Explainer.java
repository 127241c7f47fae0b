package io.meshdesk.meshconfig.explain;

import static io.meshdesk.meshconfig.render.SpecReader.list;
import static io.meshdesk.meshconfig.render.SpecReader.map;
import static io.meshdesk.meshconfig.render.SpecReader.maps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import io.meshdesk.meshconfig.model.ConfigError;

/**
 * Follows a request through one region's rendered resources, the way Istio would: the first
 * HTTP route whose match fits (gateway, verified JWT claims at the ingress, headers), its
 * destinations and weights, the mirror, timeout and retries, and the locality failover order of
 * the destination's DestinationRule.
 */
public final class Explainer {

    private final Map<String, GenericKubernetesResource> region;

    public Explainer(Map<String, GenericKubernetesResource> region) {
        this.region = region;
    }

    /**
     * @param viaIngress whether the request enters through the region's ingress gateway (a
     *        customer) or comes from inside the mesh (another function)
     * @param headers what the client sent
     * @param claims claims of a JWT the ingress verified; ignored inside the mesh
     */
    public Explanation explain(String regionName, String function, boolean viaIngress, Map<String, String> headers,
            Map<String, String> claims) {
        GenericKubernetesResource vs = find("VirtualService", function);
        Map<String, Object> spec = map(vs.getAdditionalProperties().get("spec"));
        String ingressGateway = list(spec.get("gateways")).stream().map(String::valueOf)
                .filter(g -> !g.equals("mesh")).findFirst().orElse(null);
        List<String> notes = new ArrayList<>();
        if (viaIngress && ingressGateway == null) {
            throw new ConfigError("--via", "ingress", function + " is not public: it has no ingress route; "
                    + "explain it from inside the mesh (--from-mesh)");
        }
        String gateway = viaIngress ? ingressGateway : "mesh";
        if (headers.containsKey("x-user-role")) {
            notes.add("the client's x-user-role: " + headers.get("x-user-role") + " does not choose the route; "
                    + "only the verified JWT claim does");
        }
        if (!viaIngress && !claims.isEmpty()) {
            notes.add("JWT claims are verified only at the ingress; inside the mesh they do not route");
        }
        for (Map<String, Object> route : maps(spec.get("http"))) {
            if (!matches(route, gateway, viaIngress, headers, claims)) {
                continue;
            }
            List<Explanation.Destination> destinations = new ArrayList<>();
            for (Map<String, Object> d : maps(route.get("route"))) {
                Map<String, Object> dest = map(d.get("destination"));
                destinations.add(new Explanation.Destination((String) dest.get("host"), (String) dest.get("subset"),
                        d.get("weight") == null ? 100 : ((Number) d.get("weight")).intValue()));
            }
            Map<String, Object> m = map(route.get("mirror"));
            Explanation.Destination mirror = m.isEmpty() ? null
                    : new Explanation.Destination((String) m.get("host"), (String) m.get("subset"), 0);
            Double mirrorPercent = mirror == null ? null
                    : ((Number) map(route.get("mirrorPercentage")).getOrDefault("value", 100.0)).doubleValue();
            String role = (String) map(map(map(route.get("headers")).get("request")).get("set")).get("x-user-role");
            int attempts = ((Number) map(route.get("retries")).getOrDefault("attempts", 0)).intValue();
            return new Explanation(regionName, function, gateway, (String) route.get("name"), destinations, mirror,
                    mirrorPercent, (String) route.get("timeout"), attempts, role,
                    failover(regionName, destinations.get(0).host()), notes);
        }
        throw new ConfigError("virtual-service-" + function + ".yaml", "spec.http", "no route matches this request");
    }

    private static boolean matches(Map<String, Object> route, String gateway, boolean viaIngress,
            Map<String, String> headers, Map<String, String> claims) {
        List<Map<String, Object>> matchList = maps(route.get("match"));
        if (matchList.isEmpty()) {
            return true;
        }
        for (Map<String, Object> match : matchList) {
            List<Object> gateways = list(match.get("gateways"));
            if (!gateways.isEmpty() && !gateways.contains(gateway)) {
                continue;
            }
            boolean all = true;
            for (Map.Entry<String, Object> h : map(match.get("headers")).entrySet()) {
                String expected = (String) map(h.getValue()).get("exact");
                String actual;
                if (h.getKey().startsWith("@request.auth.claims.")) {
                    actual = viaIngress ? claims.get(h.getKey().substring("@request.auth.claims.".length())) : null;
                } else {
                    actual = headers.get(h.getKey());
                }
                all &= expected != null && expected.equals(actual);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private List<String> failover(String regionName, String host) {
        List<String> order = new ArrayList<>(List.of(regionName));
        for (GenericKubernetesResource r : region.values()) {
            Map<String, Object> spec = map(r.getAdditionalProperties().get("spec"));
            if (r.getKind().equals("DestinationRule") && host.equals(spec.get("host"))) {
                for (Map<String, Object> f : maps(map(map(map(spec.get("trafficPolicy")).get("loadBalancer"))
                        .get("localityLbSetting")).get("failover"))) {
                    if (regionName.equals(f.get("from"))) {
                        order.add((String) f.get("to"));
                    }
                }
            }
        }
        return order.size() == 1 ? List.of() : order;
    }

    private GenericKubernetesResource find(String kind, String name) {
        return region.values().stream().filter(r -> r.getKind().equals(kind) && r.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new ConfigError("--function", name, "no " + kind + " named " + name
                        + " is rendered in this region; run bin/meshctl render"));
    }
}
