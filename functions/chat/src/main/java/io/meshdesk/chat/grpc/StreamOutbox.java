package io.meshdesk.chat.grpc;

import java.util.ArrayDeque;
import java.util.Deque;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.meshdesk.chat.conversation.Outbox;
import io.meshdesk.chat.conversation.Refusal;
import io.meshdesk.chat.v1.ChannelPacket;

/**
 * Writes to a gRPC response stream only while the transport says it is ready, holding at most
 * a bounded number of packets for a participant that stops reading; past that, the stream
 * ends with RESOURCE_EXHAUSTED instead of growing memory. The participant resumes from its
 * last seq on a new stream and misses nothing.
 */
final class StreamOutbox implements Outbox {

    private final ServerCallStreamObserver<ChannelPacket> stream;
    private final int limit;
    private final Deque<ChannelPacket> queue = new ArrayDeque<>();
    private boolean completing;
    private boolean done;
    private Runnable onOverflow = () -> {
    };

    StreamOutbox(ServerCallStreamObserver<ChannelPacket> stream, int limit) {
        this.stream = stream;
        this.limit = limit;
        stream.setOnReadyHandler(this::drain);
    }

    /** What to do when the stream is cut for not reading: the conversation leaves the session. */
    void onOverflow(Runnable action) {
        this.onOverflow = action;
    }

    @Override
    public synchronized void send(ChannelPacket packet) {
        if (done || completing) {
            return;
        }
        if (queue.size() >= limit) {
            fail(new Refusal(Refusal.Kind.RESOURCE_EXHAUSTED, queue.size() + " packets are waiting for a reader that "
                    + "does not read; reconnect with resume_after_seq set to the last seq received"));
            onOverflow.run();
            return;
        }
        queue.add(packet);
        drain();
    }

    @Override
    public synchronized void fail(Refusal refusal) {
        if (done) {
            return;
        }
        done = true;
        queue.clear();
        stream.onError(Status.fromCode(Status.Code.valueOf(refusal.kind().name()))
                .withDescription(refusal.getMessage()).asRuntimeException());
    }

    @Override
    public synchronized void complete() {
        completing = true;
        drain();
    }

    private synchronized void drain() {
        if (done || stream.isCancelled()) {
            return;
        }
        while (!queue.isEmpty() && stream.isReady()) {
            stream.onNext(queue.poll());
        }
        if (completing && queue.isEmpty()) {
            done = true;
            stream.onCompleted();
        }
    }
}
