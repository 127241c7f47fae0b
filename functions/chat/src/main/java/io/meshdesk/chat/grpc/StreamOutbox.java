package io.meshdesk.chat.grpc;

import java.util.ArrayDeque;
import java.util.Deque;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.meshdesk.chat.conversation.BoundedOutbox;
import io.meshdesk.chat.conversation.Ending;
import io.meshdesk.chat.v1.ChannelPacket;

/**
 * Writes to a gRPC response stream only while the transport says it is ready, holding at most a
 * bounded number of bytes for a participant that stops reading; the conversation ends the stream
 * with RESOURCE_EXHAUSTED when a packet does not fit. The participant resumes from its last seq
 * on a new stream and misses nothing. A write that finds the call closed (the transport ended it:
 * an oversized message, a reset) reports the end instead of throwing at the caller.
 */
final class StreamOutbox extends BoundedOutbox<ChannelPacket> {

    private final ServerCallStreamObserver<ChannelPacket> stream;
    /** Guarded by this: packets accepted and not yet written, and whether the call is closed. */
    private final Deque<ChannelPacket> queue = new ArrayDeque<>();

    private boolean closed;

    StreamOutbox(ServerCallStreamObserver<ChannelPacket> stream, long limitBytes) {
        super(limitBytes);
        this.stream = stream;
        stream.setOnReadyHandler(this::drain);
    }

    @Override
    protected ChannelPacket encode(ChannelPacket packet) {
        return packet;
    }

    @Override
    protected long sizeOf(ChannelPacket packet) {
        return packet.getSerializedSize();
    }

    @Override
    protected void accept(ChannelPacket packet, long size) {
        queue.add(packet);
    }

    @Override
    protected void accepted() {
        drain();
    }

    @Override
    protected Runnable ending(Ending how) {
        if (!how.flush()) {
            while (!queue.isEmpty()) {
                released(queue.poll().getSerializedSize());
            }
        }
        return this::drain;
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
                        Runnable freed = released(p.getSerializedSize());
                        run = freed == null ? run : freed;
                        stream.onNext(p);
                    }
                    closeWhenDone();
                }
            } catch (IllegalStateException e) {
                // "The stream has been closed" / "call already closed": the transport ended it.
                gone = true;
            }
            if (gone) {
                closed = true;
                queue.clear();
                stopWaitingForRoom();
                run = null;
            }
        }
        if (gone) {
            gone();
        }
        if (run != null) {
            run.run();
        }
    }

    /** Under this: once ending and everything to flush is written, the call closes with its status. */
    private void closeWhenDone() {
        Ending ending = endingOrNull();
        if (ending == null || !queue.isEmpty() && !ending.transportGone()) {
            return;
        }
        closed = true;
        queue.clear();
        if (ending.transportGone()) {
            return;
        }
        if (ending.status() == null) {
            stream.onCompleted();
        } else {
            stream.onError(Status.fromCode(Status.Code.valueOf(ending.status().name()))
                    .withDescription(ending.detail())
                    .asRuntimeException());
        }
    }
}
