package io.meshdesk.meshconfig.validate;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import static io.meshdesk.meshconfig.render.SpecReader.list;
import static io.meshdesk.meshconfig.render.SpecReader.map;
import static io.meshdesk.meshconfig.render.SpecReader.spec;

/**
 * What one region's rendered resources define, indexed for the checks: Knative Services and
 * the hosts net-istio manages for them, gateways, service accounts, and the principals that
 * exist outside the rendered files (the ingress gateway's, the stores').
 */
final class RegionIndex {

    final Map<String, GenericKubernetesResource> resources;
    final Set<String> knativeServices = new HashSet<>();
    final Set<String> knativeHosts = new HashSet<>();
    final Set<String> gateways = new HashSet<>(Set.of("mesh"));
    final Set<String> serviceAccounts = new HashSet<>();
    final Set<String> principals = new HashSet<>();
    final Set<String> subsets = new HashSet<>();

    RegionIndex(Map<String, GenericKubernetesResource> resources, Set<String> externalPrincipals) {
        this.resources = resources;
        principals.addAll(externalPrincipals);
        resources.forEach((file, r) -> {
            String ns = r.getMetadata().getNamespace();
            String name = r.getMetadata().getName();
            switch (r.getKind()) {
                case "Service" -> {
                    knativeServices.add(ns + "/" + name);
                    // net-istio writes VirtualServices for every short form of the cluster-local name.
                    knativeHosts.addAll(List.of(
                            name + "." + ns + ".svc.cluster.local", name + "." + ns + ".svc", name + "." + ns, name));
                }
                case "Gateway" -> gateways.add(ns + "/" + name);
                case "ServiceAccount" -> {
                    serviceAccounts.add(ns + "/" + name);
                    principals.add("cluster.local/ns/" + ns + "/sa/" + name);
                }
                case "DestinationRule" -> {
                    for (Object s : list(spec(r).get("subsets"))) {
                        subsets.add(spec(r).get("host") + "#" + map(s).get("name"));
                    }
                }
                default -> {}
            }
        });
    }

    /** Whether net-istio manages a host: a Knative Service's cluster-local name or its external domain. */
    boolean knativeManaged(String host) {
        if (host == null) {
            return false;
        }
        if (knativeHosts.contains(host)) {
            return true;
        }
        for (String svc : knativeServices) {
            String[] nsName = svc.split("/");
            if (host.startsWith(nsName[1] + "." + nsName[0] + ".")) {
                return true;
            }
        }
        return false;
    }
}
