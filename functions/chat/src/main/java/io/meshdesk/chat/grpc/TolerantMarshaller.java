package io.meshdesk.chat.grpc;

import java.io.IOException;
import java.io.InputStream;

import com.google.protobuf.InvalidProtocolBufferException;

import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.meshdesk.chat.conversation.PacketRules;
import io.meshdesk.chat.v1.ChannelPacket;

/**
 * Decodes inbound packets without failing the call: a frame that is not a ChannelPacket
 * (truncated, invalid UTF-8 in a string) becomes {@link PacketRules#malformed}, which the
 * conversation answers with INVALID_ARGUMENT. With the stock marshaller the parse error ends
 * inside the transport and the stream silently stops. The frame's size is already bounded by
 * {@code quarkus.grpc.server.max-inbound-message-size}.
 */
final class TolerantMarshaller implements MethodDescriptor.Marshaller<ChannelPacket> {

    private static final MethodDescriptor.Marshaller<ChannelPacket> PROTO =
            ProtoUtils.marshaller(ChannelPacket.getDefaultInstance());

    @Override
    public InputStream stream(ChannelPacket value) {
        return PROTO.stream(value);
    }

    @Override
    public ChannelPacket parse(InputStream stream) {
        try {
            return ChannelPacket.parseFrom(stream.readAllBytes());
        } catch (InvalidProtocolBufferException e) {
            return PacketRules.malformed(e.getMessage());
        } catch (IOException e) {
            return PacketRules.malformed("the frame could not be read: " + e.getMessage());
        }
    }
}
