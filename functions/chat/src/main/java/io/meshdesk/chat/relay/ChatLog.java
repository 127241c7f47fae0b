package io.meshdesk.chat.relay;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

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
 * A session's chat log in etcd. The last seq (and the bytes stored) live in a counter key outside
 * the log's prefix; appending is one transaction that compares it, so every instance appends to
 * one gap-free sequence, and a client's message id is recorded with it, so a retry is stored once.
 * Reads go page by page ({@link KeyRanges}).
 *
 * <p>Every method may block on etcd: call it from a worker thread, never from a watch or event loop.
 */
public final class ChatLog {

    /** Packets per page: with packets of at most 20 KiB, a page stays far below etcd's 4 MiB. */
    static final int PAGE = 64;
    /**
     * How long, and at least how many times, an append may keep losing races before the caller
     * hears of it. A count alone starved the slower of two instances appending at full speed: it
     * backs off after three losses while the winner, which never loses, never waits.
     */
    private static final int MIN_ATTEMPTS = 64;

    private static final long MAX_LOSING_NANOS = 2_000_000_000L;

    private static final int REMEMBERED_SESSIONS = 100_000;
    /** Appends of one session on this instance go one at a time: they would only race each other. */
    private static final int STRIPES = 1024;

    private final BlockingEtcd etcd;
    private final Clock clock;
    private final long maxSessionBytes;
    private final Object[] stripes = new Object[STRIPES];
    /**
     * The counter as this instance last saw it per session: the next append tries it directly
     * (one round trip). A stale guess costs a retry, as the failed transaction reads it back.
     */
    private final Map<String, Counter> lastSeen = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Counter> eldest) {
            return size() > REMEMBERED_SESSIONS;
        }
    });

    /** A session's counter as last seen: last seq, bytes stored, mod revision (0: absent). */
    record Counter(long seq, long bytes, long modRevision) {
        static final Counter NONE = new Counter(0, 0, 0);

        static Counter of(KeyValue kv) {
            String[] parts = Keyspace.text(kv.getValue()).split(" ");
            return new Counter(
                    Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : 0, kv.getModRevision());
        }

        ByteSequence value() {
            return Keyspace.bytes(seq + " " + bytes);
        }
    }

    /** The session's log has reached its size limit; nothing more can be stored in it. */
    public static final class Full extends RuntimeException {
        Full(String message) {
            super(message);
        }
    }

    /** Appends kept losing races with other instances; the caller may resend (with its client_msg_id). */
    public static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }

    public ChatLog(BlockingEtcd etcd, Clock clock, long maxSessionBytes) {
        this.etcd = etcd;
        this.clock = clock;
        this.maxSessionBytes = maxSessionBytes;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    public static String prefix(String sessionId) {
        return Keyspace.chatLog(sessionId);
    }

    static String entry(String sessionId, long seq) {
        return prefix(sessionId) + String.format("%012d", seq);
    }

    static String typing(String sessionId, String participantId) {
        return prefix(sessionId) + "typing/" + participantId;
    }

    private static String idKey(String sessionId, String clientMsgId) {
        return Keyspace.chatIds(sessionId) + clientMsgId;
    }

    /** The stored packet with its seq, and whether it was stored before (a retried client message id). */
    public record Appended(ChannelPacket packet, boolean duplicate) {}

    /**
     * Stores the packet as the session's next one, stamping seq and time. With a client message
     * id seen before, stores nothing and returns the packet stored then. {@code capped}: counts
     * against the session's size limit (participants' packets; the server's own events do not).
     */
    public Appended append(String sessionId, ChannelPacket packet, String clientMsgId, boolean capped) {
        synchronized (stripes[Math.floorMod(sessionId.hashCode(), STRIPES)]) {
            return appendLocked(sessionId, packet, clientMsgId, capped);
        }
    }

    private Appended appendLocked(String sessionId, ChannelPacket packet, String clientMsgId, boolean capped) {
        ByteSequence counterKey = Keyspace.bytes(Keyspace.chatCounter(sessionId));
        ByteSequence idKey =
                clientMsgId == null || clientMsgId.isEmpty() ? null : Keyspace.bytes(idKey(sessionId, clientMsgId));
        Counter last = lastSeen.get(sessionId);
        if (last == null) {
            last = counter(sessionId);
        }
        long giveUpAt = System.nanoTime() + MAX_LOSING_NANOS;
        int attempt = 0;
        for (; attempt < MIN_ATTEMPTS || System.nanoTime() - giveUpAt < 0; attempt++) {
            long seq = last.seq() + 1;
            ChannelPacket stored = packet.toBuilder()
                    .setSessionId(sessionId)
                    .setSeqNum(seq)
                    .setTimestampMs(clock.millis())
                    .build();
            byte[] bytes = stored.toByteArray();
            if (capped && last.bytes() + bytes.length > maxSessionBytes) {
                throw new Full("session " + sessionId + " has reached its size limit of " + maxSessionBytes
                        + " bytes (" + last.seq() + " packets, " + last.bytes() + " bytes stored); nothing more can "
                        + "be sent in it: close it and start a new session");
            }
            Counter next = new Counter(seq, last.bytes() + bytes.length, 0);
            List<Cmp> guards = new ArrayList<>();
            if (last.modRevision() == 0) {
                guards.add(new Cmp(counterKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
                // An instance of the old layout may have started this log under the legacy key.
                guards.add(new Cmp(
                        Keyspace.bytes(Keyspace.chatSeqLegacy(sessionId)), Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
            } else {
                guards.add(new Cmp(counterKey, Cmp.Op.EQUAL, CmpTarget.modRevision(last.modRevision())));
            }
            List<Op> writes = new ArrayList<>(List.of(
                    Op.put(counterKey, next.value(), PutOption.DEFAULT),
                    Op.put(Keyspace.bytes(entry(sessionId, seq)), ByteSequence.from(bytes), PutOption.DEFAULT)));
            List<Op> reads = new ArrayList<>(List.of(Op.get(counterKey, GetOption.DEFAULT)));
            if (idKey != null) {
                guards.add(new Cmp(idKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
                writes.add(Op.put(idKey, Keyspace.bytes(Long.toString(seq)), PutOption.DEFAULT));
                reads.add(Op.get(idKey, GetOption.DEFAULT));
            }
            TxnResponse response = etcd.commit(
                    etcd.txn()
                            .If(guards.toArray(Cmp[]::new))
                            .Then(writes.toArray(Op[]::new))
                            .Else(reads.toArray(Op[]::new)),
                    "appending to the chat of session " + sessionId);
            if (response.isSucceeded()) {
                lastSeen.put(
                        sessionId,
                        new Counter(
                                next.seq(), next.bytes(), response.getHeader().getRevision()));
                return new Appended(stored, false);
            }
            if (idKey != null && !response.getGetResponses().get(1).getKvs().isEmpty()) {
                long earlier = Long.parseLong(Keyspace.text(
                        response.getGetResponses().get(1).getKvs().get(0).getValue()));
                return new Appended(read(sessionId, earlier), true);
            }
            List<KeyValue> counter = response.getGetResponses().get(0).getKvs();
            last = counter.isEmpty() ? counter(sessionId) : Counter.of(counter.get(0));
            lastSeen.put(sessionId, last);
            // The failed transaction brought the fresh counter back: try again at once. Only a
            // session that keeps losing (several instances appending at once) spreads its retries.
            if (attempt >= 3) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000L * Math.min(attempt, 10)));
            }
        }
        throw new Busy("the chat of session " + sessionId + " is busy: " + attempt
                + " appends in a row lost to other instances; send again with the same client_msg_id");
    }

    /** The last seq of the session's log (0 when nothing is stored). */
    public long lastSeq(String sessionId) {
        return counter(sessionId).seq();
    }

    /** Bytes stored in the session's log, as its size limit counts them. */
    public long bytesStored(String sessionId) {
        return counter(sessionId).bytes();
    }

    /** The counter from etcd, moving a legacy one (no terminator after the id) to the new key first. */
    private Counter counter(String sessionId) {
        KeyValue kv = etcd.get(Keyspace.chatCounter(sessionId), "reading the chat counter of session " + sessionId);
        if (kv != null) {
            return Counter.of(kv);
        }
        KeyValue legacy = etcd.get(Keyspace.chatSeqLegacy(sessionId), "reading the legacy chat seq of " + sessionId);
        if (legacy == null || Keyspace.text(legacy.getValue()).equals(Keyspace.CHAT_SEQ_MOVED)) {
            return Counter.NONE;
        }
        migrate(sessionId, legacy);
        return counter(sessionId);
    }

    /**
     * Moves one legacy counter to its new key in one transaction that compares both keys (a
     * concurrent append or migration makes it a no-op). The new counter holds the highest seq the
     * log really has (a counter the prefix bug let expire may be behind it) and the bytes stored.
     * The legacy key keeps a value old instances cannot parse, so none of them restarts the log
     * at 1. Only a session whose transcript was handed over keeps the lease: the bug bound live
     * sessions' counters to other sessions' retention leases.
     */
    boolean migrate(String sessionId, KeyValue legacy) {
        long[] seen = {0, 0};
        forEachAfter(sessionId, 0, p -> {
            seen[0] = Math.max(seen[0], p.getSeqNum());
            seen[1] += p.getSerializedSize();
            return true;
        });
        long legacySeq = Long.parseLong(Keyspace.text(legacy.getValue()).trim());
        Counter moved = new Counter(Math.max(legacySeq, seen[0]), seen[1], 0);
        boolean handedOver = etcd.get(
                        Keyspace.chatDone(sessionId) + "transcript",
                        "reading whether the transcript of " + sessionId + " was handed over")
                != null;
        PutOption lease =
                handedOver ? PutOption.builder().withLeaseId(legacy.getLease()).build() : PutOption.DEFAULT;
        ByteSequence counterKey = Keyspace.bytes(Keyspace.chatCounter(sessionId));
        return etcd.commit(
                        etcd.txn()
                                .If(
                                        new Cmp(
                                                legacy.getKey(),
                                                Cmp.Op.EQUAL,
                                                CmpTarget.modRevision(legacy.getModRevision())),
                                        new Cmp(counterKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                                .Then(
                                        Op.put(counterKey, moved.value(), lease),
                                        Op.put(legacy.getKey(), Keyspace.bytes(Keyspace.CHAT_SEQ_MOVED), lease)),
                        "moving the chat counter of session " + sessionId + " to its new key")
                .isSucceeded();
    }

    /**
     * Moves every legacy counter ({@code /meshdesk/chat-seq/<id>}) to {@code chat-counter/<id>/last},
     * a page at a time; returns how many were moved. Run at start by every instance: a key another
     * instance moved first is skipped. Appends also move a session's legacy counter on first use.
     */
    public int migrateLegacyCounters() {
        int[] moved = {0};
        KeyRanges.forEachPage(etcd, Keyspace.CHAT_SEQ_LEGACY, PAGE, false, "listing legacy chat counters", kvs -> {
            for (KeyValue kv : kvs) {
                String sessionId = Keyspace.text(kv.getKey()).substring(Keyspace.CHAT_SEQ_LEGACY.length());
                if (!sessionId.contains("/")
                        && !Keyspace.text(kv.getValue()).equals(Keyspace.CHAT_SEQ_MOVED)
                        && migrate(sessionId, kv)) {
                    lastSeen.remove(sessionId);
                    moved[0]++;
                }
            }
        });
        return moved[0];
    }

    /** At most {@code limit} stored packets with a seq greater than afterSeq, in order. */
    public List<ChannelPacket> page(String sessionId, long afterSeq, int limit) {
        ByteSequence from = Keyspace.bytes(entry(sessionId, afterSeq + 1));
        // ':' sorts right after the digits, so the range holds the numbered entries only.
        ByteSequence to = Keyspace.bytes(prefix(sessionId) + ":");
        List<KeyValue> kvs = KeyRanges.page(
                etcd, from, to, limit, false, "reading the chat of session " + sessionId + " after seq " + afterSeq);
        List<ChannelPacket> packets = new ArrayList<>(kvs.size());
        for (KeyValue kv : kvs) {
            packets.add(decode(kv.getValue()));
        }
        return packets;
    }

    /**
     * Hands every stored packet after afterSeq to {@code each}, in order, a page at a time, until
     * it answers false or the log ends. A page too large for one etcd response (packets stored
     * before the packet size limit) is read again in smaller pages.
     */
    public void forEachAfter(String sessionId, long afterSeq, Predicate<ChannelPacket> each) {
        long after = afterSeq;
        int limit = PAGE;
        while (true) {
            List<ChannelPacket> page;
            try {
                page = page(sessionId, after, limit);
            } catch (RuntimeException e) {
                if (limit == 1) {
                    throw e;
                }
                limit = Math.max(1, limit / 4);
                continue;
            }
            for (ChannelPacket p : page) {
                if (!each.test(p)) {
                    return;
                }
                after = p.getSeqNum();
            }
            if (page.size() < limit) {
                return;
            }
        }
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
        etcd.await(
                etcd.kv()
                        .put(
                                Keyspace.bytes(typing(sessionId, packet.getSenderId())),
                                ByteSequence.from(packet.toByteArray())),
                "relaying typing in session " + sessionId);
    }

    static ChannelPacket decode(ByteSequence bytes) {
        try {
            return ChannelPacket.parseFrom(bytes.getBytes());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a chat packet in etcd is not readable", e);
        }
    }
}
