package io.meshdesk.chat.websocket;

import io.meshdesk.chat.conversation.Ending;
import io.meshdesk.chat.conversation.Outbox;
import io.meshdesk.chat.v1.ChannelPacket;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The WebSocket side of chat's transport seam: packets leave as proto3 JSON text frames, in
 * order, written asynchronously. At most {@code limitBytes} may be unwritten at a time (a browser
 * that stops reading); past that {@link #offer} says no and the conversation ends the socket with
 * 4429, after which the page resumes from its last seq. The end is written once: a normal end
 * (1000) or a refusal (44xx) after what is queued when the ending says flush, at once otherwise.
 * A write that finds the socket closed reports the end to the conversation ({@link #onGone}).
 * Callbacks run outside this object's lock.
 */
final class WebSocketOutbox implements Outbox {

    private final WebSocketConnection connection;
    private final long limitBytes;
    /** Guarded by this: bytes handed to the socket and not yet written, and how the socket ends. */
    private long unwrittenBytes;

    private Ending ending;
    private boolean closed;
    private Runnable roomWaiter;
    private volatile Runnable onGone = () -> {};

    WebSocketOutbox(WebSocketConnection connection, long limitBytes) {
        this.connection = connection;
        this.limitBytes = limitBytes;
    }

    /** What to do when the socket turns out to be closed: the conversation's end path. */
    void onGone(Runnable action) {
        this.onGone = action;
    }

    @Override
    public boolean offer(ChannelPacket packet) {
        String frame = PacketJson.print(packet);
        long size = frame.length();
        synchronized (this) {
            if (ending != null) {
                return true;
            }
            if (unwrittenBytes + size > limitBytes && unwrittenBytes > 0) {
                return false;
            }
            unwrittenBytes += size;
            // Handed over under the lock, so that frames leave in the order the conversation offers them.
            connection.sendText(frame).subscribe().with(ok -> written(size), failure -> gone(size));
        }
        return true;
    }

    @Override
    public synchronized boolean hasRoom() {
        return unwrittenBytes < limitBytes / 2;
    }

    @Override
    public void whenRoom(Runnable action) {
        synchronized (this) {
            if (!hasRoom()) {
                roomWaiter = action;
                return;
            }
        }
        action.run();
    }

    @Override
    public void end(Ending how) {
        boolean now;
        synchronized (this) {
            if (ending != null) {
                return;
            }
            ending = how;
            roomWaiter = null;
            now = !how.flush() || unwrittenBytes == 0;
            if (now) {
                closed = true;
            }
        }
        if (now) {
            close(how);
        }
    }

    private void written(long size) {
        Runnable run = null;
        Ending closeWith = null;
        synchronized (this) {
            unwrittenBytes -= size;
            if (ending != null && !closed && unwrittenBytes == 0) {
                closed = true;
                closeWith = ending;
            } else if (ending == null && roomWaiter != null && hasRoom()) {
                run = roomWaiter;
                roomWaiter = null;
            }
        }
        if (closeWith != null) {
            close(closeWith);
        }
        if (run != null) {
            run.run();
        }
    }

    private void gone(long size) {
        synchronized (this) {
            unwrittenBytes -= size;
            closed = true;
            roomWaiter = null;
        }
        onGone.run();
    }

    private void close(Ending how) {
        if (how.transportGone() || !connection.isOpen()) {
            return;
        }
        CloseReason reason = how.status() == null
                ? new CloseReason(CloseReason.NORMAL.getCode(), CloseCodes.fit(how.detail()))
                : new CloseReason(CloseCodes.code(how.status()), CloseCodes.fit(how.detail()));
        connection.close(reason).subscribe().with(ok -> {}, failure -> onGone.run());
    }
}
