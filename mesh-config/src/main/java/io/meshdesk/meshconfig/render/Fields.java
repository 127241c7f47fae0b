package io.meshdesk.meshconfig.render;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/**
 * Building blocks of rendered resources: ordered maps, so that the same input always renders to
 * the same bytes, and resources that carry the labels every managed resource needs.
 */
final class Fields {

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGER = "meshdesk";

    private Fields() {}

    /** An ordered map from alternating keys and values; null values are left out. */
    static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }

    static GenericKubernetesResource resource(
            String apiVersion,
            String kind,
            String name,
            String namespace,
            Map<String, String> labels,
            Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(apiVersion);
        r.setKind(kind);
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(MANAGED_BY, MANAGER);
        r.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(all)
                .build());
        r.setAdditionalProperty("spec", spec);
        return r;
    }

    /** A nested map of a map built with {@link #of}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static List<Object> list(Object... items) {
        return List.of(items);
    }
}
