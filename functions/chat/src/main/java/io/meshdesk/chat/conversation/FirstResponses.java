package io.meshdesk.chat.conversation;

import java.time.Duration;
import java.time.Instant;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.meshdesk.chat.metrics.ChatMetrics;
import io.meshdesk.chat.relay.ChatLog;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;

/**
 * Measures first response time once per session, whichever instance the agent is on: from the
 * customer's first text to the agent's first text after it.
 */
public final class FirstResponses {

    private final BlockingEtcd etcd;
    private final ChatLog log;
    private final ChatMetrics metrics;

    public FirstResponses(BlockingEtcd etcd, ChatLog log, ChatMetrics metrics) {
        this.etcd = etcd;
        this.log = log;
        this.metrics = metrics;
    }

    /** Called after an agent's text was stored; records the metric if this is the first answer. */
    public void agentAnswered(String sessionId, String channel, ChannelPacket answer) {
        ByteSequence done = Keyspace.bytes(Keyspace.chatDone(sessionId) + "first-response");
        if (!etcd.await(etcd.kv().get(done), "reading the first response of " + sessionId)
                .getKvs()
                .isEmpty()) {
            return;
        }
        ChannelPacket[] found = {null};
        // The customer's first text is near the start: stop at it (or at the answer) instead of reading it all.
        log.forEachAfter(sessionId, 0, p -> {
            if (p.getSeqNum() >= answer.getSeqNum()) {
                return false;
            }
            if (p.hasText() && !isAgent(p, answer)) {
                found[0] = p;
                return false;
            }
            return true;
        });
        ChannelPacket question = found[0];
        if (question == null) {
            return;
        }
        boolean first = etcd.commit(
                        etcd.txn()
                                .If(new Cmp(done, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                                .Then(Op.put(
                                        done,
                                        Keyspace.bytes(Instant.ofEpochMilli(answer.getTimestampMs())
                                                .toString()),
                                        PutOption.DEFAULT)),
                        "recording the first response of " + sessionId)
                .isSucceeded();
        if (first) {
            metrics.firstResponse(channel, Duration.ofMillis(answer.getTimestampMs() - question.getTimestampMs()));
        }
    }

    private static boolean isAgent(ChannelPacket p, ChannelPacket answer) {
        return p.getSenderId().equals(answer.getSenderId());
    }
}
