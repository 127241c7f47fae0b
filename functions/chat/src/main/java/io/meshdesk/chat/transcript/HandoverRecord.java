package io.meshdesk.chat.transcript;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.meshdesk.etcd.Keyspace;

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
        String channel,
        String outcome) {

    static final String PENDING = "pending";
    private static final ObjectMapper JSON = new ObjectMapper();

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
