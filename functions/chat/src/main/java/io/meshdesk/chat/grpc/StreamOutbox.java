package io.meshdesk.chat.grpc;

import java.util.ArrayDeque;
import java.util.Deque;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.meshdesk.chat.conversation.Ending;
import io.meshdesk.chat.conversation.Outbox;
import io.meshdesk.chat.v1.ChannelPacket;

/**
 * Writes to a gRPC response stream only while the transport says it is ready, holding at most a
 * bounded number of bytes for a participant that stops reading; the conversation ends the stream
 * with RESOURCE_EXHAUSTED when a packet does not fit. The participant resumes from its last seq
 * on a new stream and misses nothing. A write that finds the call closed (the transport ended it:
 * an oversized message, a reset) reports the end instead of throwing at the caller. Callbacks run
 * outside this object's lock.
 */
final class StreamOutbox implements Outbox {

    private final ServerCallStreamObserver<ChannelPacket> stream;
    private final long limitBytes;
    private final Deque<ChannelPacket> queue = new ArrayDeque<>();
    private long queuedBytes;
    private Ending ending;
    private boolean closed;
    private Runnable roomWaiter;
    private volatile Runnable onGone = () -> {};

    StreamOutbox(ServerCallStreamObserver<ChannelPacket> stream, long limitBytes) {
        this.stream = stream;
        this.limitBytes = limitBytes;
        stream.setOnReadyHandler(this::drain);
    }

    /** What to do when the transport turns out to be closed: the conversation's end path. */
    void onGone(Runnable action) {
        this.onGone = action;
    }

    @Override
    public boolean offer(ChannelPacket packet) {
        synchronized (this) {
            if (ending != null) {
                return true;
            }
            int size = packet.getSerializedSize();
            if (queuedBytes + size > limitBytes && !queue.isEmpty()) {
                return false;
            }
            queue.add(packet);
            queuedBytes += size;
        }
        drain();
        return true;
    }

    @Override
    public synchronized boolean hasRoom() {
        return queuedBytes < limitBytes / 2;
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
        synchronized (this) {
            if (ending != null) {
                return;
            }
            ending = how;
            roomWaiter = null;
            if (!how.flush()) {
                queue.clear();
                queuedBytes = 0;
            }
        }
        drain();
    }

    private void drain() {
        Runnable run = null;
        boolean gone = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                if (stream.isCancelled()) {
                    gone = true;
                } else {
                    while (!queue.isEmpty() && stream.isReady()) {
                        ChannelPacket p = queue.poll();
                        queuedBytes -= p.getSerializedSize();
                        stream.onNext(p);
                    }
                    if (ending != null && (queue.isEmpty() || ending.transportGone())) {
                        closed = true;
                        queue.clear();
                        if (!ending.transportGone()) {
                            if (ending.status() == null) {
                                stream.onCompleted();
                            } else {
                                stream.onError(Status.fromCode(Status.Code.valueOf(
                                                ending.status().name()))
                                        .withDescription(ending.detail())
                                        .asRuntimeException());
                            }
                        }
                    }
                }
            } catch (IllegalStateException e) {
                // "The stream has been closed" / "call already closed": the transport ended it.
                gone = true;
            }
            if (gone) {
                closed = true;
                queue.clear();
                queuedBytes = 0;
            } else if (roomWaiter != null && hasRoom()) {
                run = roomWaiter;
                roomWaiter = null;
            }
        }
        if (gone) {
            onGone.run();
        }
        if (run != null) {
            run.run();
        }
    }
}
