package io.meshdesk.meshconfig.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.meshdesk.meshconfig.model.ConfigError;
import io.meshdesk.meshconfig.render.IstioRenderer;

import static io.meshdesk.meshconfig.render.SpecReader.list;
import static io.meshdesk.meshconfig.render.SpecReader.map;
import static io.meshdesk.meshconfig.render.SpecReader.maps;
import static io.meshdesk.meshconfig.render.SpecReader.spec;

/**
 * Follows a request through one region's rendered resources, the way the mesh would: through
 * the ingress, the first HTTP route of the function's ingress VirtualService whose match fits
 * (verified JWT claims, never headers), its timeout, retries and mirror; then the Knative
 * Service it reaches and that Service's traffic split. From inside the mesh a call goes to the
 * Knative Service directly, and meshdesk's routes do not touch it.
 */
public final class Explainer {

    private static final String CLAIM = "@request.auth.claims.";
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
    public Explanation explain(
            String regionName,
            String function,
            boolean viaIngress,
            Map<String, String> headers,
            Map<String, String> claims) {
        List<String> notes = new ArrayList<>();
        if (!viaIngress) {
            if (!claims.isEmpty()) {
                notes.add("JWT claims are verified only at the ingress; inside the mesh they do not route");
            }
            String role = headers.get(IstioRenderer.ROLE_HEADER);
            notes.add("inside the mesh the caller's " + IstioRenderer.ROLE_HEADER + " passes unchanged"
                    + (role == null ? "" : " (" + role + ")") + ": no meshdesk route resets a caller's priority");
            GenericKubernetesResource service =
                    find("Service", function).orElseThrow(() -> missing("Service", function));
            return new Explanation(
                    regionName,
                    function,
                    "mesh",
                    "Knative's own route",
                    function,
                    split(service),
                    null,
                    null,
                    "timeoutSeconds "
                            + map(map(spec(service).get("template")).get("spec"))
                                    .get("timeoutSeconds") + "s (Knative)",
                    0,
                    null,
                    notes);
        }
        GenericKubernetesResource vs = find("VirtualService", function)
                .orElseThrow(() -> new ConfigError(
                        "--function",
                        function,
                        function + " is not public: it has no ingress route; explain it from inside "
                                + "the mesh (--from-mesh)"));
        String gateway = list(spec(vs).get("gateways")).stream()
                .map(String::valueOf)
                .findFirst()
                .orElse("mesh");
        if (headers.containsKey(IstioRenderer.ROLE_HEADER)) {
            notes.add("the client's " + IstioRenderer.ROLE_HEADER + ": " + headers.get(IstioRenderer.ROLE_HEADER)
                    + " does not choose the route; only the verified JWT claim does");
        }
        for (Map<String, Object> route : maps(spec(vs).get("http"))) {
            if (!matches(route, claims)) {
                continue;
            }
            String host = String.valueOf(
                    map(maps(route.get("route")).get(0).get("destination")).get("host"));
            String service = host.substring(0, host.indexOf('.'));
            GenericKubernetesResource knative = find("Service", service).orElseThrow(() -> missing("Service", service));
            Map<String, Object> m = map(route.get("mirror"));
            String mirror = m.isEmpty() ? null : String.valueOf(m.get("host"));
            Double mirrorPercent = mirror == null
                    ? null
                    : ((Number) map(route.get("mirrorPercentage")).getOrDefault("value", 100.0)).doubleValue();
            if (mirrorPercent != null && mirrorPercent == 0) {
                notes.add(
                        "the mirror to " + mirror + " is at 0%: the canary controller turns it on in its mirror phase");
            }
            String role =
                    (String) map(map(map(route.get("headers")).get("request")).get("set"))
                            .get(IstioRenderer.ROLE_HEADER);
            int attempts = ((Number) map(route.get("retries")).getOrDefault("attempts", 0)).intValue();
            return new Explanation(
                    regionName,
                    function,
                    gateway,
                    (String) route.get("name"),
                    service,
                    split(knative),
                    mirror,
                    mirrorPercent,
                    (String) route.get("timeout"),
                    attempts,
                    role,
                    notes);
        }
        throw new ConfigError("virtual-service-" + function + ".yaml", "spec.http", "no route matches this request");
    }

    private static List<Explanation.Destination> split(GenericKubernetesResource service) {
        List<Explanation.Destination> out = new ArrayList<>();
        for (Map<String, Object> t : maps(spec(service).get("traffic"))) {
            out.add(new Explanation.Destination(
                    String.valueOf(t.get("revisionName")),
                    (String) t.get("tag"),
                    ((Number) t.getOrDefault("percent", 0)).intValue()));
        }
        return out;
    }

    private static boolean matches(Map<String, Object> route, Map<String, String> claims) {
        List<Map<String, Object>> matchList = maps(route.get("match"));
        if (matchList.isEmpty()) {
            return true;
        }
        for (Map<String, Object> match : matchList) {
            boolean all = true;
            for (Map.Entry<String, Object> h : map(match.get("headers")).entrySet()) {
                String expected = (String) map(h.getValue()).get("exact");
                // Only verified claims route; a header of the same name a client sends never matches here.
                String actual =
                        h.getKey().startsWith(CLAIM) ? claims.get(h.getKey().substring(CLAIM.length())) : null;
                all &= expected != null && expected.equals(actual);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private Optional<GenericKubernetesResource> find(String kind, String name) {
        return region.values().stream()
                .filter(r ->
                        r.getKind().equals(kind) && r.getMetadata().getName().equals(name))
                .findFirst();
    }

    private static ConfigError missing(String kind, String name) {
        return new ConfigError(
                "--function",
                name,
                "no " + kind + " named " + name + " is rendered in this region; run bin/meshctl render");
    }
}
