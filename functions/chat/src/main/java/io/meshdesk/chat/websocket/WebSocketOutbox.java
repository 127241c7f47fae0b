package io.meshdesk.chat.websocket;

import org.jboss.logging.Logger;

import io.meshdesk.chat.conversation.Outbox;
import io.meshdesk.chat.conversation.Refusal;
import io.meshdesk.chat.v1.ChannelPacket;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Writes a conversation's packets to one WebSocket as proto3 JSON text frames. Writes are
 * asynchronous and keep their order; at most {@code limit} may be unwritten at a time (a
 * browser that stops reading), past that the socket closes with 4429 and the page resumes from
 * its last seq, as a gRPC client does after RESOURCE_EXHAUSTED. Every end goes through
 * {@link #close}.
 */
final class WebSocketOutbox implements Outbox {

    private static final Logger LOG = Logger.getLogger(WebSocketOutbox.class);

    private final WebSocketConnection connection;
    private final int limit;
    /** Guarded by this: writes not yet flushed, and how the socket is to end once they are. */
    private int unwritten;
    private CloseReason closing;
    private boolean closed;
    private Runnable onOverflow = () -> {
    };

    WebSocketOutbox(WebSocketConnection connection, int limit) {
        this.connection = connection;
        this.limit = limit;
    }

    /** What to do when the socket is cut for not reading: the conversation leaves the session. */
    void onOverflow(Runnable action) {
        this.onOverflow = action;
    }

    @Override
    public void send(ChannelPacket packet) {
        boolean overflow;
        synchronized (this) {
            if (closed || closing != null) {
                return;
            }
            overflow = unwritten >= limit;
            if (!overflow) {
                unwritten++;
                // Called under the lock so that frames leave in the order the conversation sends them.
                connection.sendText(PacketJson.print(packet)).subscribe().with(ok -> written(), this::writeFailed);
            }
        }
        if (overflow) {
            fail(new Refusal(Refusal.Kind.RESOURCE_EXHAUSTED, unwritten + " packets wait for a reader that does "
                    + "not read; reconnect with resumeAfterSeq"));
            onOverflow.run();
        }
    }

    @Override
    public void fail(Refusal refusal) {
        close(CloseCodes.of(refusal), true);
    }

    @Override
    public void complete() {
        close(CloseReason.NORMAL, false);
    }

    private void written() {
        CloseReason now;
        synchronized (this) {
            unwritten--;
            now = unwritten == 0 && closing != null && !closed ? closing : null;
            if (now != null) {
                closed = true;
            }
        }
        if (now != null) {
            closeNow(now);
        }
    }

    private void writeFailed(Throwable t) {
        LOG.debugf("a frame to WebSocket %s was not written: %s", connection.id(), t.getMessage());
        written();
    }

    /** A refusal closes at once (what is queued no longer matters); a normal end after the last frame. */
    private void close(CloseReason reason, boolean immediately) {
        synchronized (this) {
            if (closed || closing != null) {
                return;
            }
            closing = reason;
            if (!immediately && unwritten > 0) {
                return;
            }
            closed = true;
        }
        closeNow(reason);
    }

    private void closeNow(CloseReason reason) {
        if (connection.isOpen()) {
            connection.close(reason).subscribe().with(ok -> {
            }, t -> LOG.debugf("closing WebSocket %s failed: %s", connection.id(), t.getMessage()));
        }
    }
}
