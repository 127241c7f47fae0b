package io.meshdesk.chat.conversation;

import java.nio.charset.StandardCharsets;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import io.meshdesk.chat.v1.CallSignal;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Receipt;
import io.meshdesk.chat.v1.TextMessage;
import io.meshdesk.chat.v1.Typing;

/**
 * What a participant's packet may be, checked before anything is stored: a size limit for every
 * kind (unknown fields included), and only the fields the contract knows are kept. A transport
 * that cannot decode a frame hands the conversation {@link #malformed} instead, so the
 * participant hears INVALID_ARGUMENT rather than a stream that silently stops.
 */
public final class PacketRules {

    /** A field number no version of the contract uses: marks a frame the transport could not decode. */
    private static final int MALFORMED_FIELD = 536_870_000;

    private final ChatSettings settings;

    public PacketRules(ChatSettings settings) {
        this.settings = settings;
    }

    /** A stand-in for a frame that is not a ChannelPacket (truncated, invalid UTF-8, bad JSON). */
    public static ChannelPacket malformed(String reason) {
        return ChannelPacket.newBuilder()
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(
                                MALFORMED_FIELD,
                                UnknownFieldSet.Field.newBuilder()
                                        .addLengthDelimited(ByteString.copyFromUtf8(reason))
                                        .build())
                        .build())
                .build();
    }

    /** Why the frame could not be decoded, or null for a real packet. */
    static String malformedReason(ChannelPacket packet) {
        UnknownFieldSet.Field f = packet.getUnknownFields().getField(MALFORMED_FIELD);
        return f.getLengthDelimitedList().isEmpty()
                ? null
                : f.getLengthDelimitedList().get(0).toStringUtf8();
    }

    /** The packet with only the fields the contract knows, or a refusal naming the limit it breaks. */
    ChannelPacket check(ChannelPacket packet) {
        String malformed = malformedReason(packet);
        if (malformed != null) {
            throw new Refusal(
                    Refusal.Kind.INVALID_ARGUMENT,
                    "the frame is not a valid ChannelPacket (" + malformed
                            + "); send protobuf-encoded meshdesk.chat.v1.ChannelPacket with UTF-8 strings");
        }
        int size = packet.getSerializedSize();
        if (size > settings.maxPacketBytes()) {
            throw new Refusal(
                    Refusal.Kind.INVALID_ARGUMENT,
                    "the packet is " + size + " bytes; the limit is " + settings.maxPacketBytes()
                            + " bytes per packet, unknown fields included");
        }
        ChannelPacket.Builder clean = ChannelPacket.newBuilder();
        switch (packet.getPayloadCase()) {
            case TEXT -> {
                TextMessage t = packet.getText();
                int bytes = t.getText().getBytes(StandardCharsets.UTF_8).length;
                if (bytes > settings.maxTextBytes()) {
                    throw new Refusal(
                            Refusal.Kind.INVALID_ARGUMENT,
                            "text.text is " + bytes + " bytes of UTF-8; the limit is " + settings.maxTextBytes()
                                    + " bytes per message: split it into several messages");
                }
                int idBytes = t.getClientMsgId().getBytes(StandardCharsets.UTF_8).length;
                if (idBytes > settings.maxClientMsgIdBytes()) {
                    throw new Refusal(
                            Refusal.Kind.INVALID_ARGUMENT,
                            "the client_msg_id is " + idBytes + " bytes; the limit is " + settings.maxClientMsgIdBytes()
                                    + " (a UUID is 36)");
                }
                if (t.getClientMsgId().chars().anyMatch(c -> c < 0x20 || c == '/')) {
                    throw new Refusal(
                            Refusal.Kind.INVALID_ARGUMENT,
                            "the client_msg_id may not contain '/' or control characters");
                }
                clean.setText(TextMessage.newBuilder().setText(t.getText()).setClientMsgId(t.getClientMsgId()));
            }
            case SIGNAL -> {
                CallSignal s = packet.getSignal();
                int bytes = s.getPayload().getBytes(StandardCharsets.UTF_8).length;
                if (bytes > settings.maxSignalBytes()) {
                    throw new Refusal(
                            Refusal.Kind.INVALID_ARGUMENT,
                            "the call signal payload is " + bytes + " bytes; the limit is "
                                    + settings.maxSignalBytes());
                }
                if (s.getType() == CallSignal.Type.UNRECOGNIZED || s.getType() == CallSignal.Type.TYPE_UNSPECIFIED) {
                    throw new Refusal(
                            Refusal.Kind.INVALID_ARGUMENT,
                            "call signal type " + s.getTypeValue()
                                    + " is not one of OFFER, ANSWER, ICE_CANDIDATE, HANGUP");
                }
                clean.setSignal(CallSignal.newBuilder().setType(s.getType()).setPayload(s.getPayload()));
            }
            case TYPING ->
                clean.setTyping(Typing.newBuilder().setTyping(packet.getTyping().getTyping()));
            case RECEIPT ->
                clean.setReceipt(
                        Receipt.newBuilder().setReadUpToSeq(packet.getReceipt().getReadUpToSeq()));
            case JOIN -> clean.setJoin(packet.getJoin());
            case EVENT ->
                throw new Refusal(
                        Refusal.Kind.INVALID_ARGUMENT,
                        "session events come from the server; " + "a participant cannot send one");
            default -> throw new Refusal(Refusal.Kind.INVALID_ARGUMENT, "the packet carries no payload");
        }
        return clean.setSessionId(packet.getSessionId()).build();
    }
}
