package io.meshdesk.chat.relay;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.InvalidProtocolBufferException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;

/**
 * A session's chat log in etcd. The last seq lives in its own key outside the log's prefix;
 * appending is one transaction that compares it, so every instance appends to one gap-free
 * sequence, and a client's message id is recorded with it, so a retry is stored once.
 */
public final class ChatLog {

    /** Longest a hot session may keep an append losing races before the caller hears of it. */
    private static final int MAX_ATTEMPTS = 64;

    private static final int REMEMBERED_SESSIONS = 100_000;

    private final BlockingEtcd etcd;
    private final Clock clock;
    /**
     * The last seq this instance saw per session, with the counter's mod revision: the next
     * append tries it directly (one round trip). A stale guess costs nothing but a retry, as the
     * failed transaction reads the counter back in the same round trip.
     */
    private final Map<String, Counter> lastSeen = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Counter> eldest) {
                    return size() > REMEMBERED_SESSIONS;
                }
            });

    /** A session's seq counter as last seen: its value and mod revision (0: absent). */
    private record Counter(long seq, long modRevision) {
    }

    public ChatLog(BlockingEtcd etcd, Clock clock) {
        this.etcd = etcd;
        this.clock = clock;
    }

    public static String prefix(String sessionId) {
        return Keyspace.CHAT + sessionId + "/";
    }

    static String entry(String sessionId, long seq) {
        return prefix(sessionId) + String.format("%012d", seq);
    }

    static String typing(String sessionId, String participantId) {
        return prefix(sessionId) + "typing/" + participantId;
    }

    static boolean isEntry(String key) {
        int slash = key.lastIndexOf('/');
        return slash > 0 && key.length() - slash - 1 == 12 && Character.isDigit(key.charAt(slash + 1));
    }

    private static String seqKey(String sessionId) {
        return Keyspace.CHAT_SEQ + sessionId;
    }

    private static String idKey(String sessionId, String clientMsgId) {
        return Keyspace.CHAT_IDS + sessionId + "/" + clientMsgId;
    }

    /** The stored packet with its seq, and whether it was stored before (a retried client message id). */
    public record Appended(ChannelPacket packet, boolean duplicate) {
    }

    /**
     * Stores the packet as the session's next one, stamping seq, time and sender. With a client
     * message id seen before, stores nothing and returns the packet stored then.
     */
    public Appended append(String sessionId, ChannelPacket packet, String clientMsgId) {
        ByteSequence seqKey = Keyspace.bytes(seqKey(sessionId));
        ByteSequence idKey = clientMsgId == null || clientMsgId.isEmpty() ? null
                : Keyspace.bytes(idKey(sessionId, clientMsgId));
        Counter last = lastSeen.get(sessionId);
        if (last == null) {
            KeyValue kv = etcd.get(seqKey(sessionId), "reading the chat seq of session " + sessionId);
            last = kv == null ? new Counter(0, 0) : new Counter(Long.parseLong(Keyspace.text(kv.getValue())),
                    kv.getModRevision());
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long seq = last.seq() + 1;
            ChannelPacket stored = packet.toBuilder().setSessionId(sessionId).setSeqNum(seq)
                    .setTimestampMs(clock.millis()).build();
            List<Cmp> guards = new ArrayList<>();
            guards.add(new Cmp(seqKey, Cmp.Op.EQUAL, last.modRevision() == 0 ? CmpTarget.createRevision(0)
                    : CmpTarget.modRevision(last.modRevision())));
            List<Op> writes = new ArrayList<>(List.of(
                    Op.put(seqKey, Keyspace.bytes(Long.toString(seq)), PutOption.DEFAULT),
                    Op.put(Keyspace.bytes(entry(sessionId, seq)), ByteSequence.from(stored.toByteArray()),
                            PutOption.DEFAULT)));
            List<Op> reads = new ArrayList<>(List.of(Op.get(seqKey, GetOption.DEFAULT)));
            if (idKey != null) {
                guards.add(new Cmp(idKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
                writes.add(Op.put(idKey, Keyspace.bytes(Long.toString(seq)), PutOption.DEFAULT));
                reads.add(Op.get(idKey, GetOption.DEFAULT));
            }
            TxnResponse response = etcd.commit(etcd.txn().If(guards.toArray(Cmp[]::new))
                    .Then(writes.toArray(Op[]::new)).Else(reads.toArray(Op[]::new)),
                    "appending to the chat of session " + sessionId);
            if (response.isSucceeded()) {
                lastSeen.put(sessionId, new Counter(seq, response.getHeader().getRevision()));
                return new Appended(stored, false);
            }
            if (idKey != null && !response.getGetResponses().get(1).getKvs().isEmpty()) {
                long earlier = Long.parseLong(Keyspace.text(response.getGetResponses().get(1).getKvs().get(0).getValue()));
                return new Appended(read(sessionId, earlier), true);
            }
            List<KeyValue> counter = response.getGetResponses().get(0).getKvs();
            last = counter.isEmpty() ? new Counter(0, 0)
                    : new Counter(Long.parseLong(Keyspace.text(counter.get(0).getValue())), counter.get(0).getModRevision());
            lastSeen.put(sessionId, last);
        }
        throw new IllegalStateException("the chat of session " + sessionId + " is too busy to append to; try again");
    }

    /** Every stored packet with a seq greater than afterSeq, in order. */
    public List<ChannelPacket> readAfter(String sessionId, long afterSeq) {
        ByteSequence from = Keyspace.bytes(entry(sessionId, afterSeq + 1));
        // ':' sorts right after the digits, so the range holds the numbered entries only.
        ByteSequence to = Keyspace.bytes(prefix(sessionId) + ":");
        List<KeyValue> kvs = etcd.await(etcd.kv().get(from, GetOption.builder().withRange(to).build()),
                "reading the chat of session " + sessionId).getKvs();
        List<ChannelPacket> packets = new ArrayList<>(kvs.size());
        for (KeyValue kv : kvs) {
            packets.add(decode(kv.getValue()));
        }
        return packets;
    }

    public ChannelPacket read(String sessionId, long seq) {
        KeyValue kv = etcd.get(entry(sessionId, seq), "reading chat packet " + seq + " of session " + sessionId);
        if (kv == null) {
            throw new IllegalStateException("chat packet " + seq + " of session " + sessionId + " is missing");
        }
        return decode(kv.getValue());
    }

    /** Typing is relayed through etcd but kept out of the log: one key per participant, overwritten. */
    public void typing(String sessionId, ChannelPacket packet) {
        etcd.await(etcd.kv().put(Keyspace.bytes(typing(sessionId, packet.getSenderId())),
                ByteSequence.from(packet.toByteArray())), "relaying typing in session " + sessionId);
    }

    static ChannelPacket decode(ByteSequence bytes) {
        try {
            return ChannelPacket.parseFrom(bytes.getBytes());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a chat packet in etcd is not readable", e);
        }
    }
}
