package io.meshdesk.chat.conversation;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.meshdesk.chat.conversation.Refusal.Kind;
import io.meshdesk.chat.v1.ChannelPacket;

/**
 * The outbound half of one participant's stream: the session's log delivered in order, gap-free,
 * exactly once per seq, whichever instance stored it. Live packets from the feed are queued when
 * they are next; a gap, or the history at join, is read by a catch-up on {@code Context.work}, a
 * page at a time while the outbox has room.
 *
 * <p>Threads: {@link #live} runs on watch threads and never blocks; {@link #catchUp} runs on a
 * worker and may block on etcd. Every field is guarded by this object's monitor, which the
 * {@link Conversation} also holds for the state it must change together with {@code ended}.
 */
final class Delivery {

    private static final int PAGE = 64;

    private final Conversation.Context ctx;
    private final Outbox out;
    private final String sessionId;
    private final String participantId;
    /** The conversation's one end path, called outside this monitor. */
    private final Consumer<Ending> end;

    // Guarded by this:
    private boolean ended;
    private boolean catchingUp = true;
    private long lastQueued;
    private long maxSeen;

    Delivery(Conversation.Context ctx, Outbox out, String sessionId, String participantId, Consumer<Ending> end) {
        this.ctx = ctx;
        this.out = out;
        this.sessionId = sessionId;
        this.participantId = participantId;
        this.end = end;
    }

    /** Delivery starts after {@code seq} (the participant's resume_after_seq). */
    synchronized void resumeAfter(long seq) {
        lastQueued = seq;
        maxSeen = seq;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** Marks the stream ended; false when it was already. Nothing is queued after this. */
    synchronized boolean markEnded() {
        if (ended) {
            return false;
        }
        ended = true;
        return true;
    }

    /** Queues a packet that is not part of the log (the CLOSED event), unless the stream has ended. */
    synchronized void offerUnlessEnded(ChannelPacket packet) {
        if (!ended) {
            out.offer(packet);
        }
    }

    /** A packet from the session's feed, on a watch thread: queued if it is next, else a catch-up reads the gap. */
    void live(ChannelPacket packet) {
        Ending overflow = null;
        synchronized (this) {
            if (ended) {
                return;
            }
            if (packet.getSeqNum() == 0) {
                if (!packet.getSenderId().equals(participantId) && !out.offer(packet)) {
                    overflow = overflow();
                }
            } else {
                maxSeen = Math.max(maxSeen, packet.getSeqNum());
                if (catchingUp || packet.getSeqNum() <= lastQueued) {
                    return;
                }
                if (packet.getSeqNum() == lastQueued + 1) {
                    if (!queue(packet)) {
                        overflow = overflow();
                    }
                } else {
                    catchingUp = true;
                    ctx.work().execute(this::catchUp);
                }
            }
        }
        if (overflow != null) {
            end.accept(overflow);
        }
    }

    /**
     * Reads the log after the last packet queued, a page at a time, while the outbox has room;
     * stops once it has everything the feed has shown. Runs on a thread that may block.
     */
    void catchUp() {
        try {
            while (true) {
                long after;
                synchronized (this) {
                    if (ended) {
                        return;
                    }
                    after = lastQueued;
                }
                if (!out.hasRoom()) {
                    // A slow reader: go on when it has read, instead of buffering the history.
                    out.whenRoom(() -> ctx.work().execute(this::catchUp));
                    return;
                }
                List<ChannelPacket> page = ctx.log().page(sessionId, after, PAGE);
                boolean overflowed = false;
                synchronized (this) {
                    if (ended) {
                        return;
                    }
                    for (ChannelPacket p : page) {
                        // The log is the truth: a hole in it (keys expired or removed) cannot be filled, so skip it.
                        if (p.getSeqNum() > lastQueued && !queue(p)) {
                            overflowed = true;
                            break;
                        }
                    }
                    if (!overflowed && page.size() < PAGE && maxSeen <= lastQueued) {
                        catchingUp = false;
                        return;
                    }
                }
                if (overflowed) {
                    end.accept(overflow());
                    return;
                }
            }
        } catch (RuntimeException e) {
            end.accept(Ending.refused(new Refusal(
                    Kind.UNAVAILABLE,
                    "the conversation could not be read from etcd ("
                            + e.getMessage()
                            + "); reconnect with resume_after_seq set to the last seq received")));
        }
    }

    /** Under this: hands the next packet to the outbox; false when it does not fit. */
    private boolean queue(ChannelPacket packet) {
        lastQueued = packet.getSeqNum();
        if (!out.offer(packet)) {
            return false;
        }
        if (!packet.getSenderId().equals(participantId) && packet.getTimestampMs() > 0) {
            ctx.metrics().delivered(Duration.ofMillis(Math.max(0, ctx.clock().millis() - packet.getTimestampMs())));
        }
        return true;
    }

    /** The ending for a participant that does not read. */
    Ending overflow() {
        return Ending.overflow("more than " + ctx.settings().outboundBufferBytes() + " bytes are waiting for a reader "
                + "that does not read; reconnect with resume_after_seq set to the last seq received");
    }
}
