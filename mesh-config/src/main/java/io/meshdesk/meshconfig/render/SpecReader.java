package io.meshdesk.meshconfig.render;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/** Reading the nested maps and lists of a rendered resource without a cast at every step. */
public final class SpecReader {

    private SpecReader() {}

    public static Map<String, Object> spec(GenericKubernetesResource r) {
        return map(r.getAdditionalProperties().get("spec"));
    }

    /** The value as a map, or an empty map when it is absent or not a map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The value as a list, or an empty list. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** The value as a list of maps. */
    public static List<Map<String, Object>> maps(Object o) {
        return list(o).stream().map(SpecReader::map).toList();
    }
}
