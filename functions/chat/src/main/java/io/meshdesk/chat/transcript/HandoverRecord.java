package io.meshdesk.chat.transcript;

import java.io.IOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.session.contract.Channel;
import io.meshdesk.session.contract.Outcome;

/**
 * A pending transcript handover as it is stored in etcd ({@code chat-handover/<id>/transcript}),
 * as JSON: what the transcript event needs once the session is gone, and where the retries are.
 */
record HandoverRecord(
        String state,
        int attempts,
        long nextAttemptAtMs,
        String lastError,
        long closedAtMs,
        String customerId,
        String agentId,
        Channel channel,
        Outcome outcome) {

    static final String PENDING = "pending";
    // Records written before the outcome was typed may say "unknown": read that as not known.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
            .build();

    boolean pending() {
        return PENDING.equals(state);
    }

    /** The same handover with its attempt count, next attempt time and last error changed. */
    HandoverRecord next(int tries, long at, String error) {
        return new HandoverRecord(PENDING, tries, at, error, closedAtMs, customerId, agentId, channel, outcome);
    }

    ByteSequence encode() {
        try {
            return ByteSequence.from(JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new IllegalStateException("could not encode a transcript handover", e);
        }
    }

    static HandoverRecord decode(KeyValue kv) {
        try {
            return JSON.readValue(kv.getValue().getBytes(), HandoverRecord.class);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the transcript handover at " + Keyspace.text(kv.getKey()) + " is not readable JSON", e);
        }
    }
}
