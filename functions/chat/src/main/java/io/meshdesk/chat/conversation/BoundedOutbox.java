package io.meshdesk.chat.conversation;

import io.meshdesk.chat.v1.ChannelPacket;

/**
 * What every transport's {@link Outbox} shares: at most {@code limitBytes} held for a participant
 * that does not read (past that {@link #offer} says no and the conversation ends the stream), a
 * catch-up told when there is room again, one ending, and a way to report that the transport
 * turned out to be closed. A transport keeps only how it writes: {@link #encode} and
 * {@link #sizeOf} say what a packet becomes on the wire, {@link #accept} takes one that fits,
 * {@link #ending} starts the end. The hooks run under this object's lock; the callbacks they
 * return, and the room and gone callbacks, run outside it.
 *
 * @param <F> what the transport writes (a packet, a text frame)
 */
public abstract class BoundedOutbox<F> implements Outbox {

    private final long limitBytes;
    /** Guarded by this: bytes held and not yet written, how the stream ends, and who waits for room. */
    private long heldBytes;

    private Ending ending;
    private Runnable roomWaiter;
    private volatile Runnable onGone = () -> {};

    protected BoundedOutbox(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** What to do when the transport turns out to be closed: the conversation's end path. */
    public final void onGone(Runnable action) {
        this.onGone = action;
    }

    /** Outside the lock: the packet as the transport writes it. */
    protected abstract F encode(ChannelPacket packet);

    /** The bytes the frame counts for against the limit. */
    protected abstract long sizeOf(F frame);

    /** Under this: a frame that fits, to write (or queue) in the order offered. */
    protected abstract void accept(F frame, long size);

    /** Under this: the stream ends; the returned action (or null) runs once the lock is let go. */
    protected abstract Runnable ending(Ending how);

    /** Outside the lock, after a frame was accepted: a transport that writes when ready drains here. */
    protected void accepted() {}

    @Override
    public final boolean offer(ChannelPacket packet) {
        F frame = encode(packet);
        long size = sizeOf(frame);
        synchronized (this) {
            if (ending != null) {
                return true;
            }
            // A frame alone always fits: one large packet must not cut a reader that reads.
            if (heldBytes > 0 && heldBytes + size > limitBytes) {
                return false;
            }
            heldBytes += size;
            accept(frame, size);
        }
        accepted();
        return true;
    }

    @Override
    public final synchronized boolean hasRoom() {
        return heldBytes < limitBytes / 2;
    }

    @Override
    public final void whenRoom(Runnable action) {
        synchronized (this) {
            if (!hasRoom()) {
                roomWaiter = action;
                return;
            }
        }
        action.run();
    }

    @Override
    public final void end(Ending how) {
        Runnable then;
        synchronized (this) {
            if (ending != null) {
                return;
            }
            ending = how;
            roomWaiter = null;
            then = ending(how);
        }
        if (then != null) {
            then.run();
        }
    }

    /** Under this: how the stream ends, or null while it has not. */
    protected final Ending endingOrNull() {
        return ending;
    }

    /** Under this: bytes accepted and not yet written. */
    protected final long heldBytes() {
        return heldBytes;
    }

    /**
     * Under this: {@code size} bytes were written or dropped; returns the waiting catch-up when
     * that made room for it (to run outside the lock), else null.
     */
    protected final Runnable released(long size) {
        heldBytes -= size;
        if (ending == null && roomWaiter != null && hasRoom()) {
            Runnable run = roomWaiter;
            roomWaiter = null;
            return run;
        }
        return null;
    }

    /** Under this: nothing will be written any more, so nobody waits for room. */
    protected final void stopWaitingForRoom() {
        roomWaiter = null;
    }

    /** Outside the lock: the transport is closed; the conversation's end path runs. */
    protected final void gone() {
        onGone.run();
    }
}
