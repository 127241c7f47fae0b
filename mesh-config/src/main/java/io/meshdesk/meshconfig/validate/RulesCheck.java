package io.meshdesk.meshconfig.validate;

import static io.meshdesk.meshconfig.render.SpecReader.list;
import static io.meshdesk.meshconfig.render.SpecReader.map;
import static io.meshdesk.meshconfig.render.SpecReader.maps;
import static io.meshdesk.meshconfig.render.SpecReader.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * The checks a careful operator makes on one region's resources, beyond the schema: weights add
 * up to 100, every subset a route names exists, locality failover comes with outlier
 * detection, a mirror never targets a subset it also routes to, and every host and gateway a
 * route names exists.
 */
public final class RulesCheck {

    public List<Finding> check(Map<String, GenericKubernetesResource> region) {
        Map<String, Set<String>> subsetsByHost = new HashMap<>();
        Set<String> gateways = new HashSet<>(Set.of("mesh"));
        region.forEach((file, r) -> {
            if (r.getKind().equals("DestinationRule")) {
                Set<String> subsets = new HashSet<>();
                for (Map<String, Object> s : maps(spec(r).get("subsets"))) {
                    subsets.add((String) s.get("name"));
                }
                subsetsByHost.put((String) spec(r).get("host"), subsets);
            } else if (r.getKind().equals("Gateway")) {
                gateways.add(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName());
            }
        });
        List<Finding> findings = new ArrayList<>();
        region.forEach((file, r) -> {
            switch (r.getKind()) {
                case "VirtualService" -> virtualService(file, r, subsetsByHost, gateways, findings);
                case "DestinationRule" -> destinationRule(file, r, findings);
                case "Service" -> knativeService(file, r, findings);
                default -> {
                }
            }
        });
        return findings;
    }

    private void virtualService(String file, GenericKubernetesResource r, Map<String, Set<String>> subsetsByHost,
            Set<String> gateways, List<Finding> findings) {
        List<Object> vsGateways = list(spec(r).get("gateways"));
        for (int g = 0; g < vsGateways.size(); g++) {
            if (!gateways.contains((String) vsGateways.get(g))) {
                findings.add(new Finding(file, "spec.gateways[" + g + "]", "gateway " + vsGateways.get(g)
                        + " is not rendered for this region; render its Gateway or remove it here"));
            }
        }
        List<Map<String, Object>> routes = maps(spec(r).get("http"));
        for (int i = 0; i < routes.size(); i++) {
            String at = "spec.http[" + i + "]";
            List<Map<String, Object>> destinations = maps(routes.get(i).get("route"));
            int total = 0;
            Set<String> routed = new HashSet<>();
            for (int d = 0; d < destinations.size(); d++) {
                Map<String, Object> dest = map(destinations.get(d).get("destination"));
                Object weight = destinations.get(d).get("weight");
                total += weight == null ? (destinations.size() == 1 ? 100 : 0) : ((Number) weight).intValue();
                String host = (String) dest.get("host");
                String subset = (String) dest.get("subset");
                routed.add(host + "#" + subset);
                checkDestination(file, at + ".route[" + d + "].destination", host, subset, subsetsByHost, findings);
            }
            if (total != 100) {
                findings.add(new Finding(file, at + ".route", "weights add up to " + total
                        + ", not 100; adjust the canary's step or the weights"));
            }
            Map<String, Object> mirror = map(routes.get(i).get("mirror"));
            if (!mirror.isEmpty()) {
                String host = (String) mirror.get("host");
                String subset = (String) mirror.get("subset");
                checkDestination(file, at + ".mirror", host, subset, subsetsByHost, findings);
                if (routed.contains(host + "#" + subset)) {
                    findings.add(new Finding(file, at + ".mirror", "mirrors to subset " + subset
                            + ", which this route also sends live traffic to; mirror only before the canary "
                            + "takes weight (step 0)"));
                }
            }
        }
    }

    private static void checkDestination(String file, String at, String host, String subset,
            Map<String, Set<String>> subsetsByHost, List<Finding> findings) {
        Set<String> subsets = subsetsByHost.get(host);
        if (subsets == null) {
            findings.add(new Finding(file, at + ".host", "no DestinationRule for host " + host
                    + " is rendered in this region; add the function to the topology or fix the host"));
        } else if (subset != null && !subsets.contains(subset)) {
            findings.add(new Finding(file, at + ".subset", "subset " + subset + " is not defined by the "
                    + "DestinationRule of " + host + " (it has " + subsets + ")"));
        }
    }

    private void destinationRule(String file, GenericKubernetesResource r, List<Finding> findings) {
        Map<String, Object> policy = map(spec(r).get("trafficPolicy"));
        Map<String, Object> locality = map(map(policy.get("loadBalancer")).get("localityLbSetting"));
        boolean failover = !list(locality.get("failover")).isEmpty() || Boolean.TRUE.equals(locality.get("enabled"));
        if (failover && map(policy.get("outlierDetection")).isEmpty()) {
            findings.add(new Finding(file, "spec.trafficPolicy.outlierDetection", "locality failover is set but "
                    + "outlier detection is not; without it Istio never fails over. Add outlierDetection"));
        }
    }

    private void knativeService(String file, GenericKubernetesResource r, List<Finding> findings) {
        int total = 0;
        for (Map<String, Object> t : maps(spec(r).get("traffic"))) {
            total += ((Number) t.getOrDefault("percent", 0)).intValue();
        }
        if (total != 100) {
            findings.add(new Finding(file, "spec.traffic", "percents add up to " + total + ", not 100"));
        }
        Map<String, Object> labels = map(map(map(spec(r).get("template")).get("metadata")).get("labels"));
        for (String label : List.of("app", "version")) {
            if (!labels.containsKey(label)) {
                findings.add(new Finding(file, "spec.template.metadata.labels." + label,
                        "is missing; Kiali needs app and version labels on every revision"));
            }
        }
    }
}
