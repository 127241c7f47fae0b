package io.meshdesk.chat.websocket;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import io.meshdesk.chat.conversation.PacketRules;
import io.meshdesk.chat.v1.ChannelPacket;

/**
 * The WebSocket frame format: the proto3 JSON mapping of {@link ChannelPacket}, so the one
 * {@code .proto} stays the only contract (field names in lowerCamelCase, 64-bit numbers as
 * strings, enums by name).
 */
final class PacketJson {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private PacketJson() {}

    static String print(ChannelPacket packet) {
        try {
            return PRINTER.print(packet);
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail to print; ChannelPacket has none.
            throw new IllegalStateException("cannot print a ChannelPacket as JSON: " + e.getMessage(), e);
        }
    }

    /** The packet; a frame that does not decode becomes chat's "malformed" packet (INVALID_ARGUMENT). */
    static ChannelPacket parse(String frame) {
        try {
            ChannelPacket.Builder packet = ChannelPacket.newBuilder();
            PARSER.merge(frame, packet);
            return packet.build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return PacketRules.malformed("a frame is not a ChannelPacket in proto3 JSON: " + e.getMessage());
        }
    }
}
