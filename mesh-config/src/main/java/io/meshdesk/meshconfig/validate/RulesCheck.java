package io.meshdesk.meshconfig.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import static io.meshdesk.meshconfig.render.SpecReader.list;
import static io.meshdesk.meshconfig.render.SpecReader.map;
import static io.meshdesk.meshconfig.render.SpecReader.maps;
import static io.meshdesk.meshconfig.render.SpecReader.spec;

/**
 * Offline versions of the Istio analyzers that would fire on meshdesk's routes, and the checks
 * a careful operator makes: no VirtualService on a host net-istio manages and no two on one
 * host (IST0109), every gateway, host and subset a route names exists (IST0101), every host a
 * Gateway opens is served, weights are numbers that add up to 100, durations are durations,
 * and a mirror never targets what the route also sends live traffic to.
 */
public final class RulesCheck {

    public List<Finding> check(Map<String, GenericKubernetesResource> resources, Set<String> externalPrincipals) {
        RegionIndex region = new RegionIndex(resources, externalPrincipals);
        List<Finding> findings = new ArrayList<>();
        Map<String, String> hostOwners = new HashMap<>();
        resources.forEach((file, r) -> {
            switch (r.getKind()) {
                case "VirtualService" -> virtualService(file, r, region, hostOwners, findings);
                case "DestinationRule" -> destinationRule(file, r, region, findings);
                case "Gateway" -> gateway(file, r, region, findings);
                default -> {}
            }
        });
        findings.addAll(new KnativeRules().check(region));
        findings.addAll(new SecurityRules().check(region));
        return findings;
    }

    private void virtualService(
            String file,
            GenericKubernetesResource r,
            RegionIndex region,
            Map<String, String> hostOwners,
            List<Finding> findings) {
        Map<String, Object> spec = spec(r);
        List<Object> gateways = list(spec.get("gateways"));
        if (gateways.isEmpty()) {
            gateways = List.of("mesh");
        }
        for (int g = 0; g < gateways.size(); g++) {
            if (!region.gateways.contains(String.valueOf(gateways.get(g)))) {
                findings.add(new Finding(
                        file,
                        "spec.gateways[" + g + "]",
                        "gateway " + gateways.get(g)
                                + " is not rendered for this region (IST0101); render its Gateway or remove it here"));
            }
        }
        List<Object> hosts = list(spec.get("hosts"));
        for (int h = 0; h < hosts.size(); h++) {
            String host = String.valueOf(hosts.get(h));
            if (region.knativeManaged(host)) {
                findings.add(new Finding(
                        file,
                        "spec.hosts[" + h + "]",
                        "host " + host + " is managed by Knative "
                                + "(net-istio writes its own VirtualService for it, IST0109); route on a host meshdesk owns "
                                + "and send to " + host + " as a destination"));
            }
            for (Object gw : gateways) {
                String key = gw + "|" + host;
                String other = hostOwners.putIfAbsent(key, file);
                if (other != null) {
                    findings.add(new Finding(
                            file,
                            "spec.hosts[" + h + "]",
                            "host " + host + " on gateway " + gw + " is also routed by " + other
                                    + " (IST0109); keep one VirtualService per host"));
                }
            }
        }
        List<Map<String, Object>> routes = maps(spec.get("http"));
        for (int i = 0; i < routes.size(); i++) {
            String at = "spec.http[" + i + "]";
            Map<String, Object> route = routes.get(i);
            List<Map<String, Object>> destinations = maps(route.get("route"));
            double total = 0;
            Set<String> routed = new HashSet<>();
            for (int d = 0; d < destinations.size(); d++) {
                String dat = at + ".route[" + d + "]";
                Object weight = destinations.get(d).get("weight");
                if (weight == null) {
                    total += destinations.size() == 1 ? 100 : 0;
                } else {
                    Double w = Values.number(weight, file, dat + ".weight", 0, 100, findings);
                    total += w == null ? Double.NaN : w;
                }
                Map<String, Object> dest = map(destinations.get(d).get("destination"));
                routed.add(dest.get("host") + "#" + dest.get("subset"));
                destination(file, dat + ".destination", dest, region, findings);
            }
            if (!Double.isNaN(total) && total != 100) {
                findings.add(new Finding(
                        file,
                        at + ".route",
                        "weights add up to " + Values.format(total) + ", not 100; adjust the weights"));
            }
            Values.duration(route.get("timeout"), file, at + ".timeout", findings);
            Map<String, Object> retries = map(route.get("retries"));
            if (retries.containsKey("attempts")) {
                Values.number(retries.get("attempts"), file, at + ".retries.attempts", 0, 10, findings);
            }
            Values.duration(retries.get("perTryTimeout"), file, at + ".retries.perTryTimeout", findings);
            Map<String, Object> mirror = map(route.get("mirror"));
            if (route.containsKey("mirrorPercentage")) {
                Values.number(
                        map(route.get("mirrorPercentage")).get("value"),
                        file,
                        at + ".mirrorPercentage.value",
                        0,
                        100,
                        findings);
            }
            if (!mirror.isEmpty()) {
                destination(file, at + ".mirror", mirror, region, findings);
                if (routed.contains(mirror.get("host") + "#" + mirror.get("subset"))) {
                    findings.add(
                            new Finding(
                                    file,
                                    at + ".mirror",
                                    "mirrors to " + mirror.get("host")
                                            + ", which this route also sends live traffic to; mirror to the candidate's own Service"));
                }
            }
        }
    }

    /** A destination is a Knative Service rendered here; a subset needs a DestinationRule that defines it. */
    private static void destination(
            String file, String at, Map<String, Object> dest, RegionIndex region, List<Finding> findings) {
        Object host = dest.get("host");
        if (!region.knativeHosts.contains(String.valueOf(host))) {
            findings.add(new Finding(
                    file,
                    at + ".host",
                    "host " + host + " is not a Knative Service rendered in "
                            + "this region (IST0101); add the function to the topology or fix the host"));
        }
        Object subset = dest.get("subset");
        if (subset != null && !region.subsets.contains(host + "#" + subset)) {
            findings.add(new Finding(
                    file,
                    at + ".subset",
                    "subset " + subset + " of " + host + " is not defined by "
                            + "any DestinationRule (IST0101); Knative splits revisions in its Service's spec.traffic, "
                            + "not by subset"));
        }
    }

    private void destinationRule(String file, GenericKubernetesResource r, RegionIndex region, List<Finding> findings) {
        Map<String, Object> spec = spec(r);
        Object host = spec.get("host");
        if (region.knativeManaged(String.valueOf(host))) {
            findings.add(new Finding(
                    file,
                    "spec.host",
                    "host " + host + " is a Knative Service, an ExternalName "
                            + "to Knative's gateway: subsets and load balancing here select no pods; remove it"));
        }
        Map<String, Object> policy = map(spec.get("trafficPolicy"));
        Map<String, Object> lb = map(policy.get("loadBalancer"));
        if (lb.containsKey("simple") && !Values.SIMPLE_LB.contains(String.valueOf(lb.get("simple")))) {
            findings.add(new Finding(
                    file,
                    "spec.trafficPolicy.loadBalancer.simple",
                    "'" + lb.get("simple") + "' is not a load balancer; use one of " + Values.SIMPLE_LB));
        }
        Map<String, Object> locality = map(lb.get("localityLbSetting"));
        boolean failover = !list(locality.get("failover")).isEmpty() || Boolean.TRUE.equals(locality.get("enabled"));
        Map<String, Object> outlier = map(policy.get("outlierDetection"));
        if (failover && outlier.isEmpty()) {
            findings.add(new Finding(
                    file,
                    "spec.trafficPolicy.outlierDetection",
                    "locality failover is set but "
                            + "outlier detection is not; without it Istio never fails over. Add outlierDetection"));
        }
        for (String d : List.of("interval", "baseEjectionTime")) {
            Values.duration(outlier.get(d), file, "spec.trafficPolicy.outlierDetection." + d, findings);
        }
    }

    /** Every host a Gateway opens (except TLS passthrough) must be served by a VirtualService bound to it. */
    private void gateway(String file, GenericKubernetesResource r, RegionIndex region, List<Finding> findings) {
        String self = r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
        List<Map<String, Object>> servers = maps(spec(r).get("servers"));
        for (int s = 0; s < servers.size(); s++) {
            if ("AUTO_PASSTHROUGH".equals(map(servers.get(s).get("tls")).get("mode"))) {
                continue;
            }
            List<Object> hosts = list(servers.get(s).get("hosts"));
            for (int h = 0; h < hosts.size(); h++) {
                String host = String.valueOf(hosts.get(h));
                if (!served(host, self, region)) {
                    findings.add(new Finding(
                            file,
                            "spec.servers[" + s + "].hosts[" + h + "]",
                            "host " + host + " is opened but no VirtualService bound to " + self
                                    + " serves it; requests get 404"));
                }
            }
        }
    }

    private static boolean served(String gatewayHost, String gateway, RegionIndex region) {
        for (GenericKubernetesResource vs : region.resources.values()) {
            if (!vs.getKind().equals("VirtualService")
                    || !list(spec(vs).get("gateways")).contains(gateway)) {
                continue;
            }
            for (Object h : list(spec(vs).get("hosts"))) {
                String host = String.valueOf(h);
                if (host.equals(gatewayHost)
                        || gatewayHost.startsWith("*.") && host.endsWith(gatewayHost.substring(1))) {
                    return true;
                }
            }
        }
        return false;
    }
}
