package io.meshdesk.meshconfig.render;

import static io.meshdesk.meshconfig.render.Fields.list;
import static io.meshdesk.meshconfig.render.Fields.of;
import static io.meshdesk.meshconfig.render.Fields.resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.meshdesk.meshconfig.model.Canary;
import io.meshdesk.meshconfig.model.MeshConfig;
import io.meshdesk.meshconfig.model.Topology;
import io.meshdesk.meshconfig.model.Topology.Function;
import io.meshdesk.meshconfig.model.Topology.Region;

/**
 * A Knative Service per function and region (and per premium pool): named revisions per
 * version, a traffic block tagged stable and canary, autoscaling, and the labels Kiali needs.
 */
public final class KnativeRenderer implements MeshRenderer {

    static final String SERVING = "serving.knative.dev/v1";
    static final String AUTOSCALING = "autoscaling.knative.dev/";

    @Override
    public List<Rendered> render(MeshConfig config, Region region) {
        List<Rendered> out = new ArrayList<>();
        for (Function f : config.topology().functions()) {
            Canary canary = config.canaries().stream().filter(c -> c.function().equals(f.name())
                    && c.covers(region.name())).findFirst().orElse(null);
            out.add(new Rendered("knative", region.name(), "service-" + f.name() + ".yaml",
                    service(config.topology(), region, f, f.name(), f.autoscaling().minScale(), canary)));
            f.premiumPool().ifPresent(p -> out.add(new Rendered("knative", region.name(),
                    "service-" + f.name() + "-premium.yaml",
                    service(config.topology(), region, f, f.name() + "-premium", p.minScale(), null))));
        }
        return out;
    }

    private GenericKubernetesResource service(Topology t, Region region, Function f, String name, int minScale,
            Canary canary) {
        String newest = canary != null ? canary.canaryVersion() : f.version();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app", f.name());
        labels.put("app.kubernetes.io/part-of", "meshdesk");
        if (name.endsWith("-premium")) {
            labels.put("pool", "premium");
        }
        Map<String, Object> templateLabels = of("app", f.name(), "version", newest, "region", region.name());
        if (name.endsWith("-premium")) {
            templateLabels.put("pool", "premium");
        }
        Map<String, Object> container = of(
                "image", t.imageRegistry() + "/" + f.name() + ":" + newest,
                "ports", list(of("name", f.protocol() == Topology.Protocol.grpc ? "h2c" : "http1",
                        "containerPort", f.port())),
                "env", list(of("name", "MESHDESK_REGION", "value", region.name()),
                        of("name", "QUARKUS_HTTP_PORT", "value", Integer.toString(f.port()))),
                "envFrom", list(of("secretRef", of("name", t.configSecret()))),
                "readinessProbe", of("httpGet", of("path", "/q/health/ready")),
                "livenessProbe", of("httpGet", of("path", "/q/health/live")));
        Map<String, Object> template = of(
                "metadata", of(
                        "name", name + "-" + newest,
                        "labels", templateLabels,
                        "annotations", of(
                                AUTOSCALING + "min-scale", Integer.toString(minScale),
                                AUTOSCALING + "max-scale", Integer.toString(f.autoscaling().maxScale()),
                                AUTOSCALING + "metric", "concurrency",
                                AUTOSCALING + "target", Integer.toString(f.autoscaling().targetConcurrency()))),
                "spec", of(
                        "timeoutSeconds", seconds(f.timeout()),
                        "containers", list(container)));
        List<Object> traffic = new ArrayList<>();
        int weight = canary == null ? 0 : canary.weight();
        traffic.add(of("revisionName", name + "-" + f.version(), "percent", 100 - weight, "tag", "stable"));
        if (canary != null) {
            traffic.add(of("revisionName", name + "-" + canary.canaryVersion(), "percent", weight, "tag", "canary"));
        }
        return resource(SERVING, "Service", name, t.namespace(), labels, of("template", template, "traffic", traffic));
    }

    /** Knative wants whole seconds; sub-second timeouts round up to one. */
    static long seconds(String duration) {
        long n = Long.parseLong(duration.replaceAll("[a-z]+$", ""));
        return switch (duration.replaceAll("^\\d+", "")) {
            case "ms" -> Math.max(1, (n + 999) / 1000);
            case "m" -> n * 60;
            case "h" -> n * 3600;
            default -> n;
        };
    }
}
