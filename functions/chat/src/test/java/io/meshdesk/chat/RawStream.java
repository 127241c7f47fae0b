package io.meshdesk.chat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.ChatChannelGrpc;

/** A Connect stream that sends raw frames, as a broken or hostile client would. */
final class RawStream implements AutoCloseable {

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private final ManagedChannel channel;
    private final ClientCall<byte[], ChannelPacket> call;
    private final CompletableFuture<Status> end = new CompletableFuture<>();

    RawStream(int port, String token) {
        channel =
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        MethodDescriptor<byte[], ChannelPacket> raw = ChatChannelGrpc.getConnectMethod().toBuilder(
                        BYTES, ProtoUtils.marshaller(ChannelPacket.getDefaultInstance()))
                .build();
        call = channel.newCall(raw, CallOptions.DEFAULT);
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        call.start(
                new ClientCall.Listener<>() {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        end.complete(status);
                    }
                },
                headers);
        call.request(Integer.MAX_VALUE);
    }

    RawStream send(byte[] frame) {
        call.sendMessage(frame);
        return this;
    }

    /** The client has sent everything (a clean half-close). */
    RawStream halfClose() {
        call.halfClose();
        return this;
    }

    Status awaitEnd() throws Exception {
        return end.get(ChatConnection.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
