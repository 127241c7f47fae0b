/**
 * The conversation logic of chat, independent of any transport: the seam every face plugs into.
 *
 * <p>A transport (the gRPC face in {@code io.meshdesk.chat.grpc}, a WebSocket face beside it)
 * verifies the participant's session token, implements {@link io.meshdesk.chat.conversation.Outbox}
 * over its connection (non-blocking, bounded in bytes, ending once; extending
 * {@link io.meshdesk.chat.conversation.BoundedOutbox} gives it all but how it writes), and per stream:
 * <ol>
 * <li>{@code ChatInstance.open(claims, outbox)} returns the stream's
 * {@link io.meshdesk.chat.conversation.Conversation};
 * <li>every inbound frame goes to {@code Conversation.receive(packet)}, one at a time, from a
 * thread that may block; a frame that does not decode goes in as
 * {@link io.meshdesk.chat.conversation.PacketRules#malformed(String)};
 * <li>packets for the participant leave through {@code Outbox.offer}, and the stream's end, with
 * a {@link io.meshdesk.chat.conversation.Ending} (a {@link io.meshdesk.chat.conversation.Refusal.Kind}
 * or none for a normal end), through {@code Outbox.end}, exactly once;
 * <li>the transport's own end is reported to {@code Conversation.transportEnded(why)} (lost
 * connection, cancel, transport error, a write that found it closed) or
 * {@code Conversation.participantDone()} (a clean close by the participant).
 * </ol>
 * Everything else (checks, limits, storage, delivery order, membership, LEFT events, the streams
 * gauge) is the conversation's, so every face behaves the same.
 */
package io.meshdesk.chat.conversation;
