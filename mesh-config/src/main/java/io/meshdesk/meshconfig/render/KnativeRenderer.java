package io.meshdesk.meshconfig.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshdesk.meshconfig.model.Canary;
import io.meshdesk.meshconfig.model.MeshConfig;
import io.meshdesk.meshconfig.model.Topology;
import io.meshdesk.meshconfig.model.Topology.Function;
import io.meshdesk.meshconfig.model.Topology.Region;

import static io.meshdesk.meshconfig.render.Fields.list;
import static io.meshdesk.meshconfig.render.Fields.of;
import static io.meshdesk.meshconfig.render.Fields.resource;

/**
 * The Knative side of a region, which owns all traffic between revisions: per function a
 * Knative Service (its spec.traffic splits stable and canary), one per premium pool, one for a
 * canary's mirror target, and the service account each runs as.
 */
public final class KnativeRenderer implements MeshRenderer {

    static final String SERVING = "serving.knative.dev/v1";
    static final String AUTOSCALING = "autoscaling.knative.dev/";
    /**
     * Rendered on a Knative Service while a canary runs: the JSON pointers of the fields the
     * canary controller sets. meshctl apply keeps the live values there; a GitOps tool should
     * ignore them too (Argo CD: ignoreDifferences with these jsonPointers).
     */
    public static final String CONTROLLER_OWNS = "canary.meshdesk.io/controller-owns";

    /** The three kinds of Knative Service meshctl renders for a function. */
    enum Kind {
        MAIN(""),
        PREMIUM("-premium"),
        MIRROR("-canary");

        final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }
    }

    @Override
    public List<Rendered> render(MeshConfig config, Region region) {
        Topology t = config.topology();
        List<Rendered> out = new ArrayList<>();
        for (Function f : t.functions()) {
            Canary canary = config.canary(f.name(), region.name()).orElse(null);
            out.add(knative(region, f.name(), serviceAccount(t, f, f.name())));
            out.add(knative(region, f.name(), service(t, region, f, Kind.MAIN, canary)));
            if (f.premiumPool().isPresent()) {
                String pool = f.name() + Kind.PREMIUM.suffix;
                out.add(knative(region, pool, serviceAccount(t, f, pool)));
                out.add(knative(region, pool, service(t, region, f, Kind.PREMIUM, null)));
            }
            if (canary != null && canary.mirrors()) {
                String mirror = f.name() + Kind.MIRROR.suffix;
                out.add(knative(region, mirror, serviceAccount(t, f, mirror)));
                out.add(knative(region, mirror, service(t, region, f, Kind.MIRROR, canary)));
            }
        }
        return out;
    }

    private static Rendered knative(Region region, String name, GenericKubernetesResource r) {
        String kind = r.getKind().equals("ServiceAccount") ? "service-account-" : "service-";
        return new Rendered("knative", region.name(), kind + name + ".yaml", r);
    }

    /** Functions never call the Kubernetes API: their accounts carry no token. */
    private static GenericKubernetesResource serviceAccount(Topology t, Function f, String name) {
        GenericKubernetesResource sa =
                resource("v1", "ServiceAccount", name, t.namespace(), Map.of("app", f.name()), null);
        sa.getAdditionalProperties().remove("spec");
        sa.setAdditionalProperty("automountServiceAccountToken", false);
        return sa;
    }

    private GenericKubernetesResource service(Topology t, Region region, Function f, Kind kind, Canary canary) {
        String name = f.name() + kind.suffix;
        String version = canary != null ? canary.canaryVersion() : f.version();
        Map<String, Object> template = template(t, region, f, kind, version);
        String revision = revisionName(name, version, template);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app", f.name());
        labels.put("app.kubernetes.io/part-of", "meshdesk");
        if (kind == Kind.PREMIUM) {
            labels.put("pool", "premium");
        } else if (kind == Kind.MIRROR) {
            labels.put("canary.meshdesk.io/mirror-of", f.name());
        }
        List<Object> traffic = new ArrayList<>();
        GenericKubernetesResource service;
        if (kind == Kind.MAIN && canary != null) {
            // The stable revision is the one the same topology renders without the canary: its
            // name is that template's hash, so it exists exactly when the stable render was applied.
            String stable = revisionName(name, f.version(), template(t, region, f, kind, f.version()));
            int weight = canary.weight();
            traffic.add(of("revisionName", stable, "percent", 100 - weight, "tag", "stable"));
            traffic.add(of("revisionName", revision, "percent", weight, "tag", "canary"));
            service = resource(
                    SERVING, "Service", name, t.namespace(), labels, of("template", template, "traffic", traffic));
            service.getMetadata().setAnnotations(new LinkedHashMap<>(Map.of(CONTROLLER_OWNS, "/spec/traffic")));
        } else {
            traffic.add(of("revisionName", revision, "percent", 100, "tag", "stable"));
            service = resource(
                    SERVING, "Service", name, t.namespace(), labels, of("template", template, "traffic", traffic));
        }
        return service;
    }

    private Map<String, Object> template(Topology t, Region region, Function f, Kind kind, String version) {
        String name = f.name() + kind.suffix;
        int minScale = switch (kind) {
            case MAIN -> f.autoscaling().minScale();
            case PREMIUM -> f.premium().minScale();
            // A mirror target gets a share of the traffic; one warm instance keeps cold starts out of its P99.
            case MIRROR -> 1;
        };
        Map<String, Object> templateLabels = of("app", f.name(), "version", version, "region", region.name());
        if (kind == Kind.PREMIUM) {
            templateLabels.put("pool", "premium");
        }
        List<Object> env = new ArrayList<>(List.of(
                of("name", "MESHDESK_REGION", "value", region.name()),
                of("name", "MESHDESK_FUNCTION", "value", f.name()),
                of("name", "MESHDESK_VERSION", "value", version),
                of("name", "QUARKUS_HTTP_PORT", "value", Integer.toString(f.port()))));
        if (kind == Kind.MIRROR && f.mirror() == Topology.Mirror.shadow) {
            // Mirrored requests are real customers' requests: a shadow decides and answers, and commits nothing.
            env.add(of("name", "MESHDESK_SHADOW", "value", "true"));
        }
        Map<String, Object> container = of(
                "image", t.imageRegistry() + "/" + f.name() + ":" + version,
                "ports",
                        list(of(
                                "name",
                                f.protocol() == Topology.Protocol.grpc ? "h2c" : "http1",
                                "containerPort",
                                f.port())),
                "env", env,
                "envFrom", list(of("secretRef", of("name", t.configSecret()))),
                "readinessProbe", of("httpGet", of("path", "/q/health/ready")),
                "livenessProbe", of("httpGet", of("path", "/q/health/live")));
        Map<String, Object> metadata = of(
                "labels",
                templateLabels,
                "annotations",
                of(
                        AUTOSCALING + "min-scale", Integer.toString(minScale),
                        AUTOSCALING + "max-scale",
                                Integer.toString(f.autoscaling().maxScale()),
                        AUTOSCALING + "metric", "concurrency",
                        AUTOSCALING + "target", Integer.toString(f.autoscaling().targetConcurrency())));
        Map<String, Object> template = of(
                "metadata",
                metadata,
                "spec",
                of(
                        "serviceAccountName", name,
                        "timeoutSeconds", seconds(f.timeout()),
                        "containers", list(container)));
        return template;
    }

    /**
     * {@code <service>-<version>-<hash>}: Knative refuses a changed template under an unchanged
     * name, so the name carries a hash of everything else in the template.
     */
    static String revisionName(String service, String version, Map<String, Object> template) {
        String hash = sha256(Serialization.asJson(template)).substring(0, 7);
        Map<String, Object> metadata = Fields.map(template.get("metadata"));
        String name = service + "-" + version + "-" + hash;
        Map<String, Object> named = new LinkedHashMap<>();
        named.put("name", name);
        named.putAll(metadata);
        metadata.clear();
        metadata.putAll(named);
        return name;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** Knative wants whole seconds; sub-second timeouts round up to one. */
    static long seconds(String duration) {
        return Math.max(1, (MeshConfig.millis(duration) + 999) / 1000);
    }
}
