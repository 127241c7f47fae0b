package io.meshdesk.meshconfig.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/** Schema and meaning, for one region's rendered resources. */
public final class Validation {

    private final SchemaCheck schema = new SchemaCheck();
    private final RulesCheck rules = new RulesCheck();

    public List<Finding> check(Map<String, GenericKubernetesResource> region) {
        List<Finding> findings = new ArrayList<>();
        region.forEach((file, r) -> findings.addAll(schema.check(file, r)));
        findings.addAll(rules.check(region));
        return findings;
    }
}
