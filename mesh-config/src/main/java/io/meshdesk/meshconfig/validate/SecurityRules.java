package io.meshdesk.meshconfig.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import static io.meshdesk.meshconfig.render.SpecReader.list;
import static io.meshdesk.meshconfig.render.SpecReader.map;
import static io.meshdesk.meshconfig.render.SpecReader.maps;
import static io.meshdesk.meshconfig.render.SpecReader.spec;

/**
 * AuthorizationPolicies that can work: every principal they allow is an account some workload
 * runs as (a rendered service account, the ingress gateway's, a store's), and the namespace
 * has an allow-nothing policy so that what is not allowed is refused.
 */
final class SecurityRules {

    List<Finding> check(RegionIndex region) {
        List<Finding> findings = new ArrayList<>();
        boolean allowNothing = false;
        boolean anyPolicy = false;
        for (Map.Entry<String, GenericKubernetesResource> e : region.resources.entrySet()) {
            GenericKubernetesResource r = e.getValue();
            if (!r.getKind().equals("AuthorizationPolicy")) {
                continue;
            }
            anyPolicy = true;
            Map<String, Object> spec = spec(r);
            if (spec.isEmpty()) {
                allowNothing = true;
            }
            List<Map<String, Object>> rules = maps(spec.get("rules"));
            for (int i = 0; i < rules.size(); i++) {
                List<Map<String, Object>> from = maps(rules.get(i).get("from"));
                for (int f = 0; f < from.size(); f++) {
                    List<Object> principals =
                            list(map(from.get(f).get("source")).get("principals"));
                    for (int p = 0; p < principals.size(); p++) {
                        String principal = String.valueOf(principals.get(p));
                        if (!region.principals.contains(principal)) {
                            findings.add(
                                    new Finding(
                                            e.getKey(),
                                            "spec.rules[" + i + "].from[" + f + "].source.principals[" + p + "]",
                                            "no workload runs as " + principal
                                                    + "; render its service account (or name the account the workload really has)"));
                        }
                    }
                }
            }
        }
        if (anyPolicy && !allowNothing) {
            findings.add(new Finding(
                    "istio/",
                    "AuthorizationPolicy",
                    "no allow-nothing policy (an empty spec) in the "
                            + "namespace: anything the ALLOW policies do not select, such as the stores, is open to every "
                            + "mesh workload"));
        }
        return findings;
    }
}
