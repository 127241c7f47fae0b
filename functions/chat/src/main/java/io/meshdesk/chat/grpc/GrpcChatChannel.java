package io.meshdesk.chat.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.meshdesk.chat.ChatInstance;
import io.meshdesk.chat.conversation.Conversation;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.ChatChannelGrpc;
import io.meshdesk.token.SessionClaims;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/**
 * The gRPC face of chat: one {@link Conversation} per {@code Connect} stream. This class only
 * adapts: inbound packets go to {@link Conversation#receive} on a worker thread ({@code @Blocking}),
 * outbound ones leave through {@link StreamOutbox}, and every way the call ends (half-close,
 * cancel, transport error, a write that finds the call closed) reaches the conversation's one end
 * path.
 */
@GrpcService
@Blocking
public class GrpcChatChannel extends ChatChannelGrpc.ChatChannelImplBase {

    private final ChatInstance chat;

    public GrpcChatChannel(ChatInstance chat) {
        this.chat = chat;
    }

    /** The service with a marshaller that turns undecodable frames into INVALID_ARGUMENT, not a stuck stream. */
    @Override
    public ServerServiceDefinition bindService() {
        MethodDescriptor<ChannelPacket, ChannelPacket> connect = ChatChannelGrpc.getConnectMethod().toBuilder(
                        new TolerantMarshaller(),
                        ChatChannelGrpc.getConnectMethod().getResponseMarshaller())
                .build();
        ServiceDescriptor service = ServiceDescriptor.newBuilder(ChatChannelGrpc.SERVICE_NAME)
                .setSchemaDescriptor(ChatChannelGrpc.getServiceDescriptor().getSchemaDescriptor())
                .addMethod(connect)
                .build();
        return ServerServiceDefinition.builder(service)
                .addMethod(connect, ServerCalls.asyncBidiStreamingCall(this::connect))
                .build();
    }

    @Override
    public StreamObserver<ChannelPacket> connect(StreamObserver<ChannelPacket> responses) {
        SessionClaims claims = SessionAuthInterceptor.CLAIMS.get();
        ServerCallStreamObserver<ChannelPacket> stream = (ServerCallStreamObserver<ChannelPacket>) responses;
        if (claims == null) {
            responses.onError(
                    Status.UNAUTHENTICATED.withDescription("no session token").asRuntimeException());
            return new Ignore();
        }
        StreamOutbox outbox = new StreamOutbox(stream, chat.settings().outboundBufferBytes());
        Conversation conversation = chat.open(claims, outbox);
        stream.setOnCancelHandler(() -> conversation.transportEnded("the call was cancelled or the connection lost"));
        outbox.onGone(() -> conversation.transportEnded("the transport closed the call"));
        return new StreamObserver<>() {
            @Override
            public void onNext(ChannelPacket packet) {
                conversation.receive(packet);
            }

            @Override
            public void onError(Throwable t) {
                conversation.transportEnded("transport error: " + Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                conversation.participantDone();
            }
        };
    }

    private static final class Ignore implements StreamObserver<ChannelPacket> {
        @Override
        public void onNext(ChannelPacket value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
    }
}
