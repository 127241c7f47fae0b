package io.meshdesk.chat.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.meshdesk.chat.ChatInstance;
import io.meshdesk.chat.conversation.Conversation;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.ChatChannelGrpc;
import io.meshdesk.token.SessionClaims;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/** The gRPC face of chat: one {@link Conversation} per {@code Connect} stream. */
@GrpcService
@Blocking
public class GrpcChatChannel extends ChatChannelGrpc.ChatChannelImplBase {

    private final ChatInstance chat;

    public GrpcChatChannel(ChatInstance chat) {
        this.chat = chat;
    }

    @Override
    public StreamObserver<ChannelPacket> connect(StreamObserver<ChannelPacket> responses) {
        SessionClaims claims = SessionAuthInterceptor.CLAIMS.get();
        ServerCallStreamObserver<ChannelPacket> stream = (ServerCallStreamObserver<ChannelPacket>) responses;
        if (claims == null) {
            responses.onError(Status.UNAUTHENTICATED.withDescription("no session token").asRuntimeException());
            return new Ignore();
        }
        StreamOutbox outbox = new StreamOutbox(stream, chat.settings().outboundBuffer());
        Conversation conversation = chat.open(claims, outbox);
        stream.setOnCancelHandler(conversation::clientGone);
        outbox.onOverflow(conversation::clientGone);
        return new StreamObserver<>() {
            @Override
            public void onNext(ChannelPacket packet) {
                conversation.receive(packet);
            }

            @Override
            public void onError(Throwable t) {
                conversation.clientGone();
            }

            @Override
            public void onCompleted() {
                conversation.clientGone();
                outbox.complete();
            }
        };
    }

    private static final class Ignore implements StreamObserver<ChannelPacket> {
        @Override
        public void onNext(ChannelPacket value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
