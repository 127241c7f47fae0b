package io.meshdesk.routing.json;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.etcd.jetcd.ByteSequence;
import io.meshdesk.session.contract.ContractJson;

/**
 * How routing's values are written in etcd: JSON, times as ISO-8601 strings. Sessions are read by
 * chat and ticketing, so they are written and read as the session contract's {@link ContractJson}
 * does.
 */
public final class RoutingJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(ContractJson.sessionModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RoutingJson() {}

    public static ByteSequence encode(Object value) {
        try {
            return ByteSequence.from(MAPPER.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T decode(ByteSequence bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes.getBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("a value in etcd is not a readable " + type.getSimpleName(), e);
        }
    }
}
