package io.meshdesk.chat.conversation;

import io.meshdesk.chat.v1.ChannelPacket;

/** Where a conversation writes to its participant: one per stream, whatever the transport. */
public interface Outbox {

    /** Queues a packet for the participant; never blocks. */
    void send(ChannelPacket packet);

    /** Ends the stream with an error the participant can act on. */
    void fail(Refusal refusal);

    /** Ends the stream normally. */
    void complete();
}
