package io.meshdesk.problem;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Turns a function's JSON input into its typed request, naming the field when it cannot.
 *
 * <p>Funqy drops Jackson's error and answers an empty 400 when it binds a typed input itself, so
 * the functions take a {@link JsonNode} and bind it here, where the error is still ours to word.
 */
public final class FunctionInput {

    /**
     * Strict: a value of the wrong JSON type is refused, never converted. Jackson's defaults would
     * read {@code "agentId": true} as the id "true", {@code "channel": 0} as the first channel and
     * {@code "internal": 2} as true, each changing state where a 400 is promised.
     */
    private static final ObjectMapper MAPPER = strict(JsonMapper.builder()
            .findAndAddModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build());

    private FunctionInput() {}

    private static ObjectMapper strict(ObjectMapper mapper) {
        for (LogicalType type : new LogicalType[] {
            LogicalType.Textual,
            LogicalType.Enum,
            LogicalType.Boolean,
            LogicalType.Integer,
            LogicalType.Float,
            LogicalType.Collection,
            LogicalType.Map,
            LogicalType.POJO
        }) {
            mapper.coercionConfigFor(type)
                    .setCoercion(
                            CoercionInputShape.Integer,
                            type == LogicalType.Integer || type == LogicalType.Float
                                    ? CoercionAction.TryConvert
                                    : CoercionAction.Fail)
                    .setCoercion(
                            CoercionInputShape.Float,
                            type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(
                            CoercionInputShape.Boolean,
                            type == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(
                            CoercionInputShape.String,
                            type == LogicalType.Textual || type == LogicalType.Enum
                                    ? CoercionAction.TryConvert
                                    : CoercionAction.Fail)
                    .setCoercion(
                            CoercionInputShape.EmptyString,
                            type == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
        return mapper;
    }

    /** The strict mapper, for code that binds function input outside {@link #read}. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static <T> T read(JsonNode input, Class<T> type) {
        if (input == null || input.isNull() || input.isMissingNode()) {
            throw Problem.badRequest("the request body is empty; send a JSON object");
        }
        if (!input.isObject()) {
            throw Problem.badRequest("the request body must be a JSON object, not "
                    + input.getNodeType().name().toLowerCase());
        }
        try {
            return MAPPER.convertValue(input, type);
        } catch (IllegalArgumentException e) {
            throw explain(e);
        }
    }

    private static RuntimeException explain(IllegalArgumentException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Problem problem) {
                return problem;
            }
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            if (mapping instanceof InvalidFormatException format
                    && format.getTargetType().isEnum()) {
                return Problem.invalid(
                        field,
                        "field '" + field + "': '" + format.getValue() + "' is not one of "
                                + Arrays.stream(format.getTargetType().getEnumConstants())
                                        .map(Object::toString)
                                        .collect(Collectors.joining(", ")));
            }
            if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                return Problem.invalid(field, "field '" + field + "' must be " + describe(mismatch.getTargetType()));
            }
            return Problem.invalid(field, "field '" + field + "' cannot be read: " + mapping.getOriginalMessage());
        }
        return Problem.badRequest("the request cannot be read: " + e.getMessage());
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a JSON object";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        return "a " + type.getSimpleName();
    }
}
