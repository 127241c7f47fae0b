package io.meshdesk.chat.transcript;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.meshdesk.chat.relay.ChatLog;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.events.Event;
import io.meshdesk.events.EventSink;
import io.meshdesk.events.EventType;

/**
 * When a session closes: send its transcript to ticketing once, then bind the session's chat
 * keys to a retention lease so that etcd forgets them when the retention time is over.
 */
public final class Transcripts {

    private static final Logger LOG = Logger.getLogger(Transcripts.class);
    /** etcd's default limit on operations in one transaction is 128. */
    private static final int OPS_PER_TXN = 100;

    private final BlockingEtcd etcd;
    private final ChatLog log;
    private final EventSink sink;
    private final String region;
    private final Duration retention;

    public Transcripts(BlockingEtcd etcd, ChatLog log, EventSink sink, String region, Duration retention) {
        this.etcd = etcd;
        this.log = log;
        this.sink = sink;
        this.region = region;
        this.retention = retention;
    }

    /** Called by every instance that sees the close; only the one that claims it first does the work. */
    public void sessionClosed(String sessionId, JsonNode session) {
        ByteSequence claim = Keyspace.bytes(Keyspace.CHAT_DONE + sessionId + "/transcript");
        boolean won = etcd.commit(etcd.txn().If(new Cmp(claim, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(claim, Keyspace.bytes(Instant.now().toString()), PutOption.DEFAULT)),
                "claiming the transcript of session " + sessionId).isSucceeded();
        if (!won) {
            return;
        }
        List<ChannelPacket> packets = log.readAfter(sessionId, 0);
        if (!packets.isEmpty()) {
            Transcript transcript = new Transcript(sessionId, region, session.path("customerId").asText(null),
                    session.path("agentId").asText(null), session.path("channel").asText(null),
                    session.path("outcome").asText(null), packets.stream().map(Transcripts::line).toList());
            sink.publish(new Event(sessionId + "@transcript", EventType.TRANSCRIPT_READY, "/meshdesk/" + region + "/chat",
                    sessionId, Instant.now(), transcript));
            LOG.infof("session %s closed; its transcript of %d packets was handed over", sessionId, packets.size());
        }
        retain(sessionId);
    }

    private static Transcript.Line line(ChannelPacket p) {
        return switch (p.getPayloadCase()) {
            case TEXT -> new Transcript.Line(p.getSeqNum(), p.getTimestampMs(), p.getSenderId(), "text",
                    p.getText().getText());
            case SIGNAL -> new Transcript.Line(p.getSeqNum(), p.getTimestampMs(), p.getSenderId(), "signal",
                    p.getSignal().getType().name().toLowerCase());
            case EVENT -> new Transcript.Line(p.getSeqNum(), p.getTimestampMs(), p.getSenderId(), "event",
                    p.getEvent().getType().name().toLowerCase());
            case RECEIPT -> new Transcript.Line(p.getSeqNum(), p.getTimestampMs(), p.getSenderId(), "receipt",
                    Long.toString(p.getReceipt().getReadUpToSeq()));
            default -> new Transcript.Line(p.getSeqNum(), p.getTimestampMs(), p.getSenderId(),
                    p.getPayloadCase().name().toLowerCase(), "");
        };
    }

    /** Re-puts every chat key of the session with a lease of the retention time. */
    private void retain(String sessionId) {
        long lease = etcd.grantLease(retention.toSeconds(), "granting the chat retention lease of " + sessionId);
        List<KeyValue> keys = new ArrayList<>();
        for (String prefix : List.of(ChatLog.prefix(sessionId), Keyspace.CHAT_SEQ + sessionId,
                Keyspace.CHAT_IDS + sessionId + "/", Keyspace.CHAT_DONE + sessionId + "/")) {
            keys.addAll(etcd.await(etcd.kv().get(Keyspace.bytes(prefix), GetOption.builder().isPrefix(true).build()),
                    "listing the chat keys of session " + sessionId).getKvs());
        }
        PutOption withLease = PutOption.builder().withLeaseId(lease).build();
        for (int i = 0; i < keys.size(); i += OPS_PER_TXN) {
            List<KeyValue> batch = keys.subList(i, Math.min(keys.size(), i + OPS_PER_TXN));
            etcd.commit(etcd.txn().Then(batch.stream().map(kv -> Op.put(kv.getKey(), kv.getValue(), withLease))
                    .toArray(Op[]::new)), "binding the chat of session " + sessionId + " to its retention lease");
        }
    }
}
