package io.meshdesk.meshconfig.model;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads a YAML file into a record, refusing what a person most often gets wrong with a message
 * that names the field: an empty file, a misspelt field (with a "did you mean"), a word where a
 * number or one of a few names belongs. The tree is checked against the record's components
 * before Jackson binds it, so a misspelt field is reported as such and not as the missing
 * field it was meant to be.
 */
final class StrictYaml {

    // A number left out is "required", not a silent 0.
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private StrictYaml() {}

    static <T> T read(Path file, Class<T> type) {
        String name = file.toString();
        JsonNode tree;
        try {
            tree = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigError(
                    name,
                    null,
                    "cannot read it: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ConfigError(
                    name,
                    null,
                    "the file is empty; write the " + type.getSimpleName().toLowerCase() + " into it or delete it");
        }
        if (!tree.isObject()) {
            throw new ConfigError(
                    name,
                    null,
                    "is not a mapping of fields (found "
                            + tree.getNodeType().name().toLowerCase() + ")");
        }
        checkFields(name, tree, type, "");
        try {
            return YAML.treeToValue(tree, type);
        } catch (InvalidFormatException e) {
            throw new ConfigError(name, path(e), "'" + e.getValue() + "' is not " + expected(e.getTargetType()));
        } catch (MismatchedInputException e) {
            if (e.getOriginalMessage().startsWith("Cannot map `null`")) {
                throw new ConfigError(name, path(e), "is required");
            }
            throw new ConfigError(name, path(e), "is not " + expected(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw new ConfigError(name, path(e), e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigError(name, null, "cannot read it: " + e.getMessage());
        }
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "the kind of value this field takes";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(String::valueOf)
                            .toList();
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == String.class) {
            return "a text value";
        }
        return "a mapping of fields";
    }

    /** Every field in the tree must be a component of the record it binds to, at every depth. */
    private static void checkFields(String file, JsonNode node, Type type, String at) {
        Class<?> raw = raw(type);
        if (node.isArray() && type instanceof ParameterizedType p && List.class.isAssignableFrom(raw)) {
            for (int i = 0; i < node.size(); i++) {
                checkFields(file, node.get(i), p.getActualTypeArguments()[0], at + "[" + i + "]");
            }
            return;
        }
        if (!raw.isRecord() || !node.isObject()) {
            return;
        }
        List<String> known = new ArrayList<>();
        for (RecordComponent c : raw.getRecordComponents()) {
            known.add(jsonName(c));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldAt = at.isEmpty() ? field.getKey() : at + "." + field.getKey();
            int index = known.indexOf(field.getKey());
            if (index < 0) {
                String near = nearest(field.getKey(), known);
                throw new ConfigError(
                        file,
                        fieldAt,
                        "unknown field '" + field.getKey() + "'" + (near == null ? "" : " (did you mean " + near + "?)")
                                + "; known fields here: " + known);
            }
            checkFields(file, field.getValue(), raw.getRecordComponents()[index].getGenericType(), fieldAt);
        }
    }

    private static String jsonName(RecordComponent c) {
        // A component's annotation is propagated to its accessor.
        JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
        return p != null && !p.value().isEmpty() ? p.value() : c.getName();
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    /** The known name closest to a misspelt one: same letters ignoring case, or at most two edits away. */
    static String nearest(String word, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = k.equalsIgnoreCase(word) ? 0 : distance(word.toLowerCase(), k.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= 2 ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
