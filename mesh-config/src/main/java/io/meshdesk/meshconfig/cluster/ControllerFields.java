package io.meshdesk.meshconfig.cluster;

import java.util.Map;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.meshdesk.meshconfig.render.KnativeRenderer;

/**
 * The fields of a rendered resource that a canary controller owns while a rollout runs, named
 * by JSON pointer in the annotation {@value KnativeRenderer#CONTROLLER_OWNS}. Applying the
 * rendered files keeps the live values there, so Git and the controller never fight.
 */
public final class ControllerFields {

    private static final ObjectMapper JSON = Serialization.jsonMapper();

    private ControllerFields() {}

    /** The pointers a resource names as the controller's, or none. */
    public static String[] pointers(GenericKubernetesResource r) {
        Map<String, String> annotations = r.getMetadata().getAnnotations();
        String owned = annotations == null ? null : annotations.get(KnativeRenderer.CONTROLLER_OWNS);
        return owned == null || owned.isBlank() ? new String[0] : owned.split(",");
    }

    /** A copy of rendered with the live values at the controller's pointers (where live has a value). */
    public static GenericKubernetesResource keepLive(
            GenericKubernetesResource rendered, GenericKubernetesResource live) {
        ObjectNode want = JSON.valueToTree(rendered);
        JsonNode have = JSON.valueToTree(live);
        for (String p : pointers(rendered)) {
            JsonPointer pointer = JsonPointer.compile(p.trim());
            JsonNode value = have.at(pointer);
            if (!value.isMissingNode()) {
                set(want, pointer, value.deepCopy());
            }
        }
        return JSON.convertValue(want, GenericKubernetesResource.class);
    }

    /** Writes value at pointer; the parent must exist (the controller's fields are always rendered). */
    public static void set(ObjectNode root, JsonPointer pointer, JsonNode value) {
        JsonNode parent = root.at(pointer.head());
        String last = pointer.last().getMatchingProperty();
        if (parent instanceof ObjectNode o) {
            o.set(last, value);
        } else if (parent instanceof ArrayNode a
                && pointer.last().getMatchingIndex() >= 0
                && pointer.last().getMatchingIndex() < a.size()) {
            a.set(pointer.last().getMatchingIndex(), value);
        } else {
            throw new IllegalArgumentException("cannot set " + pointer + ": its parent is missing");
        }
    }
}
