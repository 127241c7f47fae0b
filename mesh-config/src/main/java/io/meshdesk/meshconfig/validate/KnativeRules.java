package io.meshdesk.meshconfig.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import static io.meshdesk.meshconfig.render.SpecReader.map;
import static io.meshdesk.meshconfig.render.SpecReader.maps;
import static io.meshdesk.meshconfig.render.SpecReader.spec;

/**
 * Knative Services as Knative would take them: revision names that belong to the Service,
 * traffic percents that are numbers adding up to 100, a service account that is rendered, a
 * timeout Knative allows, and the app and version labels Kiali needs.
 */
final class KnativeRules {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final long MAX_TIMEOUT_SECONDS = 3600;

    List<Finding> check(RegionIndex region) {
        List<Finding> findings = new ArrayList<>();
        region.resources.forEach((file, r) -> {
            if (r.getKind().equals("Service")) {
                service(file, r, region, findings);
            }
        });
        return findings;
    }

    private void service(String file, GenericKubernetesResource r, RegionIndex region, List<Finding> findings) {
        String name = r.getMetadata().getName();
        Map<String, Object> spec = spec(r);
        Map<String, Object> template = map(spec.get("template"));
        Map<String, Object> metadata = map(template.get("metadata"));
        Object revision = metadata.get("name");
        if (revision != null && !revisionOf(name, revision)) {
            findings.add(new Finding(
                    file,
                    "spec.template.metadata.name",
                    "'" + revision + "' is not a revision name " + "of " + name + " (Knative wants " + name
                            + "-<suffix>, a DNS label)"));
        }
        double total = 0;
        boolean numbers = true;
        List<Map<String, Object>> traffic = maps(spec.get("traffic"));
        for (int i = 0; i < traffic.size(); i++) {
            Map<String, Object> t = traffic.get(i);
            Double p = Values.number(
                    t.getOrDefault("percent", 0), file, "spec.traffic[" + i + "].percent", 0, 100, findings);
            numbers &= p != null;
            total += p == null ? 0 : p;
            Object named = t.get("revisionName");
            if (named != null && !revisionOf(name, named)) {
                findings.add(new Finding(
                        file,
                        "spec.traffic[" + i + "].revisionName",
                        "'" + named + "' is not a " + "revision of " + name));
            }
            if (named == null && !Boolean.TRUE.equals(t.get("latestRevision"))) {
                findings.add(new Finding(
                        file,
                        "spec.traffic[" + i + "]",
                        "names no revision; give revisionName " + "or latestRevision: true"));
            }
        }
        if (numbers && total != 100) {
            findings.add(new Finding(file, "spec.traffic", "percents add up to " + Values.format(total) + ", not 100"));
        }
        Map<String, Object> revisionSpec = map(template.get("spec"));
        Object account = revisionSpec.get("serviceAccountName");
        if (account == null) {
            findings.add(new Finding(
                    file,
                    "spec.template.spec.serviceAccountName",
                    "is missing: the pods would run "
                            + "as 'default' and no AuthorizationPolicy principal would match them"));
        } else if (!region.serviceAccounts.contains(r.getMetadata().getNamespace() + "/" + account)) {
            findings.add(new Finding(
                    file,
                    "spec.template.spec.serviceAccountName",
                    "service account " + account
                            + " is not rendered in this region; Knative would not start the revision"));
        }
        if (revisionSpec.containsKey("timeoutSeconds")) {
            Values.number(
                    revisionSpec.get("timeoutSeconds"),
                    file,
                    "spec.template.spec.timeoutSeconds",
                    1,
                    MAX_TIMEOUT_SECONDS,
                    findings);
        }
        Map<String, Object> annotations = map(metadata.get("annotations"));
        for (String scale : List.of("min-scale", "max-scale", "target")) {
            Object v = annotations.get("autoscaling.knative.dev/" + scale);
            if (v != null && !String.valueOf(v).matches("\\d+")) {
                findings.add(new Finding(
                        file,
                        "spec.template.metadata.annotations.autoscaling.knative.dev/" + scale,
                        "'" + v + "' is not a whole number"));
            }
        }
        Map<String, Object> labels = map(metadata.get("labels"));
        for (String label : List.of("app", "version")) {
            if (!labels.containsKey(label)) {
                findings.add(new Finding(
                        file,
                        "spec.template.metadata.labels." + label,
                        "is missing; Kiali needs app and version labels on every revision"));
            }
        }
    }

    private static boolean revisionOf(String service, Object revision) {
        String s = String.valueOf(revision);
        return s.startsWith(service + "-")
                && s.length() > service.length() + 1
                && DNS_LABEL.matcher(s).matches();
    }
}
