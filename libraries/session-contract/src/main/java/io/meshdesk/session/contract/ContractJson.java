package io.meshdesk.session.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON of the contract records, written and read the same way by every function: times as
 * ISO-8601 strings, enums in lower case, nulls written. Reading is strict where a guess would
 * change meaning (an unknown enum value, a number where a string belongs, a required field
 * missing: each a {@link ContractViolation} naming the field) and lenient where it would not
 * (fields the record does not know are skipped, so a producer can add one before its readers
 * know it).
 */
public final class ContractJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private ContractJson() {}

    /**
     * For another mapper (routing's values in etcd): it then writes and reads a
     * {@link SessionRecord} as this class does, byte for byte and as strictly. Never registered
     * on this class's own mapper, which would call itself.
     */
    public static Module sessionModule() {
        return new SimpleModule("meshdesk-session-contract")
                .addSerializer(SessionRecord.class, new SessionWriter())
                .addDeserializer(SessionRecord.class, new SessionReader());
    }

    /** The session as routing stores it in etcd and sends it in events. */
    public static byte[] write(SessionRecord session) {
        try {
            return MAPPER.writeValueAsBytes(session);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("session " + session.sessionId() + " cannot be written as JSON", e);
        }
    }

    /** Writes the session into a generator another mapper drives (routing's values, an event's data). */
    public static void write(SessionRecord session, JsonGenerator into) throws IOException {
        MAPPER.writeValue(into, session);
    }

    public static SessionRecord readSession(byte[] json) {
        return read(() -> MAPPER.readValue(json, SessionRecord.class), "session");
    }

    public static SessionRecord readSession(JsonNode json) {
        return read(() -> MAPPER.treeToValue(object(json, "session"), SessionRecord.class), "session");
    }

    /** Reads the session at the parser's position (a deserializer of another mapper delegating here). */
    public static SessionRecord readSession(JsonParser parser) {
        return read(() -> MAPPER.readValue(parser, SessionRecord.class), "session");
    }

    public static byte[] write(Transcript transcript) {
        try {
            return MAPPER.writeValueAsBytes(transcript);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(
                    "the transcript of " + transcript.sessionId() + " cannot be written as JSON", e);
        }
    }

    public static Transcript readTranscript(JsonNode json) {
        return read(() -> MAPPER.treeToValue(object(json, "transcript"), Transcript.class), "transcript");
    }

    /** A record as a JSON tree, for a sender that takes any object as an event's data. */
    public static JsonNode tree(Object record) {
        return MAPPER.valueToTree(record);
    }

    private static final class SessionWriter extends StdSerializer<SessionRecord> {
        SessionWriter() {
            super(SessionRecord.class);
        }

        @Override
        public void serialize(SessionRecord session, JsonGenerator into, SerializerProvider provider)
                throws IOException {
            write(session, into);
        }
    }

    private static final class SessionReader extends StdDeserializer<SessionRecord> {
        SessionReader() {
            super(SessionRecord.class);
        }

        @Override
        public SessionRecord deserialize(JsonParser from, DeserializationContext context) {
            return readSession(from);
        }
    }

    private static JsonNode object(JsonNode json, String what) {
        if (json == null || !json.isObject()) {
            throw new ContractViolation(
                    null,
                    "a " + what + " must be a JSON object, not "
                            + (json == null
                                    ? "nothing"
                                    : json.getNodeType().name().toLowerCase()));
        }
        return json;
    }

    private interface Reading<T> {
        T read() throws IOException;
    }

    private static <T> T read(Reading<T> reading, String what) {
        try {
            return reading.read();
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof ContractViolation violation) {
                throw violation;
            }
            throw explain(e, what);
        } catch (JsonMappingException e) {
            throw explain(e, what);
        } catch (JsonProcessingException e) {
            throw new ContractViolation(null, "a " + what + " must be JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("a " + what + " could not be read", e);
        }
    }

    private static ContractViolation explain(JsonMappingException e, String what) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        String name = field.isEmpty() ? "the " + what : "field '" + field + "' of the " + what;
        if (e instanceof InvalidFormatException format && format.getTargetType().isEnum()) {
            return new ContractViolation(
                    field,
                    name + ": '" + format.getValue() + "' is not one of "
                            + Arrays.stream(format.getTargetType().getEnumConstants())
                                    .map(Object::toString)
                                    .collect(Collectors.joining(", ")));
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return new ContractViolation(
                    field, name + " must be " + describe(mismatch.getTargetType()) + ": " + e.getOriginalMessage());
        }
        return new ContractViolation(field, name + " cannot be read: " + e.getOriginalMessage());
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(Object::toString)
                            .collect(Collectors.joining(", "));
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "a whole number";
        }
        return "a " + type.getSimpleName();
    }
}
