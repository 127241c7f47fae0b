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
        ByteSequence done = Keyspace.bytes(Keyspace.CHAT_DONE + sessionId + "/first-response");
        if (!etcd.await(etcd.kv().get(done), "reading the first response of " + sessionId).getKvs().isEmpty()) {
            return;
        }
        ChannelPacket question = log.readAfter(sessionId, 0).stream()
                .filter(p -> p.hasText() && p.getSeqNum() < answer.getSeqNum() && !isAgent(p, answer))
                .findFirst().orElse(null);
        if (question == null) {
            return;
        }
        boolean first = etcd.commit(etcd.txn().If(new Cmp(done, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(done, Keyspace.bytes(Instant.ofEpochMilli(answer.getTimestampMs()).toString()),
                        PutOption.DEFAULT)), "recording the first response of " + sessionId).isSucceeded();
        if (first) {
            metrics.firstResponse(channel, Duration.ofMillis(answer.getTimestampMs() - question.getTimestampMs()));
        }
    }

    private static boolean isAgent(ChannelPacket p, ChannelPacket answer) {
        return p.getSenderId().equals(answer.getSenderId());
    }
}
