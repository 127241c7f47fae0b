package io.meshdesk.chat.conversation;

import io.meshdesk.chat.v1.ChannelPacket;

/**
 * Where a conversation writes to its participant: one per stream, implemented by each transport
 * (gRPC's {@code StreamOutbox}; a WebSocket face has its own). Its buffer is bounded in bytes.
 * Every method may be called from any thread, including watch threads: none may block.
 */
public interface Outbox {

    /**
     * Queues a packet for the participant. False when it does not fit in the buffer (the
     * participant does not read): the conversation then ends the stream.
     */
    boolean offer(ChannelPacket packet);

    /** Whether the buffer is below half full, so a catch-up may queue another page. */
    boolean hasRoom();

    /** Runs {@code action} once, on any thread, as soon as {@link #hasRoom()} holds (at once if it does). */
    void whenRoom(Runnable action);

    /**
     * Ends the stream, once; later calls are ignored. The transport must also report its own end
     * (participant hung up, connection lost, transport error) to {@link Conversation#transportEnded}.
     */
    void end(Ending ending);
}
