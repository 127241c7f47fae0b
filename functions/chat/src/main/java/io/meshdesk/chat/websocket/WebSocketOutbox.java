package io.meshdesk.chat.websocket;

import io.meshdesk.chat.conversation.BoundedOutbox;
import io.meshdesk.chat.conversation.Ending;
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
 */
final class WebSocketOutbox extends BoundedOutbox<String> {

    private final WebSocketConnection connection;
    /** Guarded by this: the close was started (or the socket is gone). */
    private boolean closed;

    WebSocketOutbox(WebSocketConnection connection, long limitBytes) {
        super(limitBytes);
        this.connection = connection;
    }

    @Override
    protected String encode(ChannelPacket packet) {
        return PacketJson.print(packet);
    }

    @Override
    protected long sizeOf(String frame) {
        return frame.length();
    }

    @Override
    protected void accept(String frame, long size) {
        // Handed over under the lock, so that frames leave in the order the conversation offers them.
        connection.sendText(frame).subscribe().with(ok -> written(size), failure -> lost(size));
    }

    @Override
    protected Runnable ending(Ending how) {
        if (how.flush() && heldBytes() > 0) {
            return null;
        }
        closed = true;
        return () -> close(how);
    }

    private void written(long size) {
        Runnable run;
        Ending closeWith = null;
        synchronized (this) {
            run = released(size);
            if (endingOrNull() != null && !closed && heldBytes() == 0) {
                closed = true;
                closeWith = endingOrNull();
            }
        }
        if (closeWith != null) {
            close(closeWith);
        }
        if (run != null) {
            run.run();
        }
    }

    private void lost(long size) {
        synchronized (this) {
            released(size);
            closed = true;
            stopWaitingForRoom();
        }
        gone();
    }

    private void close(Ending how) {
        if (how.transportGone() || !connection.isOpen()) {
            return;
        }
        CloseReason reason = how.status() == null
                ? new CloseReason(CloseReason.NORMAL.getCode(), CloseCodes.fit(how.detail()))
                : new CloseReason(CloseCodes.code(how.status()), CloseCodes.fit(how.detail()));
        connection.close(reason).subscribe().with(ok -> {}, failure -> gone());
    }
}
