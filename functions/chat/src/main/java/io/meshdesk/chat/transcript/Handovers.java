package io.meshdesk.chat.transcript;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.meshdesk.chat.metrics.ChatMetrics;
import io.meshdesk.chat.relay.ChatLog;
import io.meshdesk.chat.relay.KeyRanges;
import io.meshdesk.chat.relay.SessionDirectory;
import io.meshdesk.chat.relay.SessionDirectory.SessionInfo;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.DaemonThreads;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.events.Event;
import io.meshdesk.events.EventSink;
import io.meshdesk.events.EventType;
import io.meshdesk.session.contract.Transcript;

/**
 * The durable handover of a closed session's transcript to ticketing. A record in etcd
 * ({@code chat-handover/<id>/transcript}) says it is pending until ticketing acknowledges the
 * {@code meshdesk.transcript.ready} event (an HTTP 2xx through the {@link EventSink}); until then
 * it is tried again with exponential backoff, with no limit on the attempts, by whichever chat
 * instance is running. Only then are the session's chat keys bound to the retention lease, and
 * the record deleted (the leased counter says "handed over" from then on).
 *
 * <p>A sweep on every instance (at start and every sweep interval) retries what is due, finds
 * closes that happened while no chat instance ran (a log counter without a lease whose session
 * is closed or gone), and publishes the pending count. All work runs on this class's one thread.
 */
public final class Handovers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Handovers.class);
    /** etcd's default limit on operations in one transaction is 128. */
    private static final int OPS_PER_TXN = 100;

    private static final int PAGE = 200;
    /** The scan for closes nobody saw reads every session: at start, then every sixth sweep. */
    private static final int MISSED_CLOSE_EVERY = 6;

    /** The handover settings: first backoff, its cap, how often the sweep runs, how long one attempt may take. */
    public record Timing(
            Duration initialBackoff, Duration maxBackoff, Duration sweepInterval, Duration attemptTimeout) {}

    private final BlockingEtcd etcd;
    private final ChatLog log;
    private final SessionDirectory sessions;
    private final EventSink sink;
    private final String region;
    private final Duration retention;
    private final Timing timing;
    private final ChatMetrics metrics;
    private final Clock clock;
    /** Owned by the worker thread. */
    private long sweeps;

    private final ScheduledExecutorService worker = DaemonThreads.scheduler("chat-transcript-handover");

    public Handovers(
            BlockingEtcd etcd,
            ChatLog log,
            SessionDirectory sessions,
            EventSink sink,
            String region,
            Duration retention,
            Timing timing,
            ChatMetrics metrics,
            Clock clock) {
        this.etcd = etcd;
        this.log = log;
        this.sessions = sessions;
        this.sink = sink;
        this.region = region;
        this.retention = retention;
        this.timing = timing;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Starts the sweep: now (closes missed while no instance ran), then every sweep interval. */
    public void start() {
        worker.scheduleWithFixedDelay(this::sweep, 0, timing.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Routing closed the session (any thread, never blocks): record the handover and try it. */
    public void sessionClosed(SessionInfo session) {
        worker.execute(() -> guarded(session.sessionId(), () -> {
            record(session);
            attemptIfDue(session.sessionId());
        }));
    }

    private void record(SessionInfo s) {
        KeyValue counter =
                etcd.get(Keyspace.chatCounter(s.sessionId()), "reading the chat counter of " + s.sessionId());
        if (counter != null && counter.getLease() != 0) {
            // Handed over before (the retention lease is bound only then): routing re-put the closed session.
            return;
        }
        HandoverRecord pending = new HandoverRecord(
                HandoverRecord.PENDING,
                0,
                clock.millis(),
                null,
                clock.millis(),
                s.customerId(),
                s.agentId(),
                s.channel(),
                s.outcome());
        ByteSequence key = Keyspace.bytes(Keyspace.chatHandover(s.sessionId()));
        etcd.commit(
                etcd.txn()
                        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                        .Then(Op.put(key, pending.encode(), PutOption.DEFAULT)),
                "recording the transcript handover of " + s.sessionId());
    }

    /** Claims the next attempt when it is due (one transaction: one instance wins), then sends. */
    private void attemptIfDue(String sessionId) {
        KeyValue kv = etcd.get(Keyspace.chatHandover(sessionId), "reading the transcript handover of " + sessionId);
        if (kv == null) {
            return;
        }
        HandoverRecord state = HandoverRecord.decode(kv);
        long now = clock.millis();
        if (!state.pending() || state.nextAttemptAtMs() > now) {
            return;
        }
        HandoverRecord claimed =
                state.next(state.attempts() + 1, now + timing.attemptTimeout().toMillis(), state.lastError());
        boolean won = etcd.commit(
                        etcd.txn()
                                .If(new Cmp(kv.getKey(), Cmp.Op.EQUAL, CmpTarget.modRevision(kv.getModRevision())))
                                .Then(Op.put(kv.getKey(), claimed.encode(), PutOption.DEFAULT)),
                        "claiming an attempt at the transcript handover of " + sessionId)
                .isSucceeded();
        if (!won) {
            return;
        }
        if (log.lastSeq(sessionId) == 0) {
            // Nobody chatted: there is no transcript to hand over.
            acknowledged(sessionId, claimed);
            return;
        }
        Event event = event(sessionId, claimed);
        // While in flight, others leave it alone until attemptTimeout; past it, it counts as failed here too.
        sink.deliver(event)
                .toCompletableFuture()
                .orTimeout(timing.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, failure) -> worker.execute(() -> guarded(sessionId, () -> {
                    if (failure == null) {
                        acknowledged(sessionId, claimed);
                    } else {
                        failed(sessionId, claimed, failure);
                    }
                })));
    }

    private Event event(String sessionId, HandoverRecord s) {
        List<Transcript.Line> lines = new ArrayList<>();
        log.forEachAfter(sessionId, 0, p -> lines.add(line(p)));
        Transcript transcript =
                new Transcript(sessionId, region, s.customerId(), s.agentId(), s.channel(), s.outcome(), lines);
        // The id is the same on every attempt: ticketing stores a redelivery once.
        return new Event(
                sessionId + "@transcript",
                EventType.TRANSCRIPT_READY,
                "/meshdesk/" + region + "/chat",
                sessionId,
                Instant.ofEpochMilli(s.closedAtMs()),
                transcript);
    }

    /**
     * Binds the chat keys to the retention lease, then deletes the record: a leased counter is what
     * says "handed over" from then on, so the sweep reads only pending records.
     */
    private void acknowledged(String sessionId, HandoverRecord claimed) {
        long lease = etcd.grantLease(retention.toSeconds(), "granting the chat retention lease of " + sessionId);
        retain(sessionId, lease);
        etcd.commit(
                etcd.txn().Then(Op.delete(Keyspace.bytes(Keyspace.chatHandover(sessionId)), DeleteOption.DEFAULT)),
                "recording that ticketing has the transcript of " + sessionId);
        metrics.handoverAttempt("acknowledged");
        LOG.infof(
                "session %s: ticketing acknowledged its transcript (attempt %d); its chat keys expire in %s",
                sessionId, claimed.attempts(), retention);
    }

    private void failed(String sessionId, HandoverRecord claimed, Throwable failure) {
        metrics.handoverAttempt("failed");
        long wait = backoff(claimed.attempts()).toMillis();
        String error = String.valueOf(failure.getMessage());
        KeyValue kv = etcd.get(Keyspace.chatHandover(sessionId), "reading the transcript handover of " + sessionId);
        if (kv != null && HandoverRecord.decode(kv).attempts() == claimed.attempts()) {
            etcd.commit(
                    etcd.txn()
                            .If(new Cmp(kv.getKey(), Cmp.Op.EQUAL, CmpTarget.modRevision(kv.getModRevision())))
                            .Then(Op.put(
                                    kv.getKey(),
                                    claimed.next(claimed.attempts(), clock.millis() + wait, error)
                                            .encode(),
                                    PutOption.DEFAULT)),
                    "recording a failed transcript handover of " + sessionId);
        }
        LOG.warnf(
                "session %s: ticketing has not acknowledged the transcript yet (attempt %d: %s); trying again in "
                        + "%d ms, for as long as it takes",
                sessionId, claimed.attempts(), error, wait);
        worker.schedule(() -> guarded(sessionId, () -> attemptIfDue(sessionId)), wait, TimeUnit.MILLISECONDS);
    }

    /** Exponential with jitter, capped: a sink down for an hour costs a dozen attempts per session, not a storm. */
    Duration backoff(int attempts) {
        long base = timing.initialBackoff().toMillis() << Math.min(20, Math.max(0, attempts - 1));
        long capped = Math.min(base, timing.maxBackoff().toMillis());
        return Duration.ofMillis((long) (capped * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }

    /** Re-puts every chat key of the session with the retention lease. */
    private void retain(String sessionId, long lease) {
        List<KeyValue> keys = new ArrayList<>();
        for (String prefix : Keyspace.chatPrefixes(sessionId)) {
            if (!prefix.startsWith(Keyspace.CHAT_HANDOVER)) {
                keys.addAll(all(prefix, false));
            }
        }
        KeyValue legacy = etcd.get(Keyspace.chatSeqLegacy(sessionId), "reading the legacy chat seq of " + sessionId);
        if (legacy != null) {
            keys.add(legacy);
        }
        PutOption withLease = PutOption.builder().withLeaseId(lease).build();
        for (int i = 0; i < keys.size(); i += OPS_PER_TXN) {
            List<KeyValue> batch = keys.subList(i, Math.min(keys.size(), i + OPS_PER_TXN));
            etcd.commit(
                    etcd.txn()
                            .Then(batch.stream()
                                    .map(kv -> Op.put(kv.getKey(), kv.getValue(), withLease))
                                    .toArray(Op[]::new)),
                    "binding the chat of session " + sessionId + " to its retention lease");
        }
    }

    /** Retries what is due, picks up closes nobody saw, and publishes the pending count. */
    void sweep() {
        try {
            long pending = 0;
            long oldest = 0;
            for (KeyValue kv : all(Keyspace.CHAT_HANDOVER, false)) {
                HandoverRecord s = HandoverRecord.decode(kv);
                if (s.pending()) {
                    pending++;
                    oldest = Math.max(oldest, clock.millis() - s.closedAtMs());
                    String sessionId = Keyspace.chatSessionOf(Keyspace.CHAT_HANDOVER, Keyspace.text(kv.getKey()));
                    guarded(sessionId, () -> attemptIfDue(sessionId));
                }
            }
            if (sweeps++ % MISSED_CLOSE_EVERY == 0) {
                findMissedCloses();
            }
            metrics.handoversPending(pending, Duration.ofMillis(oldest));
        } catch (RuntimeException e) {
            LOG.warnf(
                    "the transcript handover sweep failed (%s); it runs again in %s",
                    e.getMessage(), timing.sweepInterval());
        }
    }

    /**
     * A log whose counter has no lease was not handed over: when its session is closed (or gone),
     * its close happened while no chat instance watched. Two range scans, not a read per session.
     */
    private void findMissedCloses() {
        Map<String, SessionInfo> closed = new HashMap<>();
        Set<String> known = new HashSet<>();
        for (KeyValue kv : all(Keyspace.SESSIONS, false)) {
            String sessionId = Keyspace.text(kv.getKey()).substring(Keyspace.SESSIONS.length());
            known.add(sessionId);
            SessionInfo s = SessionInfo.parse(sessionId, kv.getValue().getBytes());
            if (s.closed()) {
                closed.put(sessionId, s);
            }
        }
        for (KeyValue kv : all(Keyspace.CHAT_COUNTER, true)) {
            String sessionId = Keyspace.chatSessionOf(Keyspace.CHAT_COUNTER, Keyspace.text(kv.getKey()));
            if (kv.getLease() != 0 || known.contains(sessionId) && !closed.containsKey(sessionId)) {
                continue;
            }
            guarded(sessionId, () -> {
                if (etcd.get(Keyspace.chatHandover(sessionId), "reading a transcript handover") != null) {
                    return;
                }
                LOG.infof(
                        "session %s closed while no chat instance saw it; handing its transcript over now", sessionId);
                record(closed.getOrDefault(sessionId, SessionInfo.gone(sessionId)));
                attemptIfDue(sessionId);
            });
        }
    }

    private List<KeyValue> all(String prefix, boolean keysOnly) {
        return KeyRanges.all(etcd, prefix, PAGE, keysOnly, "listing " + prefix);
    }

    private void guarded(String sessionId, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "the transcript handover of session %s failed and stays pending; it is retried", sessionId);
        }
    }

    private static Transcript.Line line(ChannelPacket p) {
        return switch (p.getPayloadCase()) {
            case TEXT ->
                new Transcript.Line(
                        p.getSeqNum(),
                        p.getTimestampMs(),
                        p.getSenderId(),
                        "text",
                        p.getText().getText());
            case SIGNAL ->
                new Transcript.Line(
                        p.getSeqNum(),
                        p.getTimestampMs(),
                        p.getSenderId(),
                        "signal",
                        p.getSignal().getType().name().toLowerCase());
            case EVENT ->
                new Transcript.Line(
                        p.getSeqNum(),
                        p.getTimestampMs(),
                        p.getSenderId(),
                        "event",
                        p.getEvent().getType().name().toLowerCase());
            case RECEIPT ->
                new Transcript.Line(
                        p.getSeqNum(),
                        p.getTimestampMs(),
                        p.getSenderId(),
                        "receipt",
                        Long.toString(p.getReceipt().getReadUpToSeq()));
            default ->
                new Transcript.Line(
                        p.getSeqNum(),
                        p.getTimestampMs(),
                        p.getSenderId(),
                        p.getPayloadCase().name().toLowerCase(),
                        "");
        };
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
