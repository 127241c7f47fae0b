package io.meshdesk.meshconfig.validate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.meshdesk.meshconfig.model.Topology;

/** Schema and meaning, for one region's rendered resources. */
public final class Validation {

    private final SchemaCheck schema = new SchemaCheck();
    private final RulesCheck rules = new RulesCheck();
    private final Set<String> externalPrincipals = new HashSet<>();

    /** The topology names the accounts that exist outside the rendered files: the gateway's and the stores'. */
    public Validation(Topology topology) {
        externalPrincipals.add(topology.ingressGateway().principal());
        for (Topology.Datastore d : topology.stores()) {
            externalPrincipals.add(topology.principal(d.serviceAccount()));
            if (d.platformPrincipals() != null) {
                externalPrincipals.addAll(d.platformPrincipals());
            }
        }
    }

    public List<Finding> check(Map<String, GenericKubernetesResource> region) {
        List<Finding> findings = new ArrayList<>();
        region.forEach((file, r) -> findings.addAll(schema.check(file, r)));
        findings.addAll(rules.check(region, externalPrincipals));
        return findings;
    }
}
