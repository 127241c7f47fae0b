package io.meshdesk.chat;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.ChatChannelGrpc;
import io.meshdesk.chat.v1.Join;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.chat.v1.TextMessage;

/** A participant's side of one Connect stream over real gRPC, recording all it receives. */
final class ChatClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final List<ChannelPacket> received = new CopyOnWriteArrayList<>();
    final AtomicReference<Status> ended = new AtomicReference<>();
    private final ManagedChannel channel;
    private final StreamObserver<ChannelPacket> requests;
    private volatile ClientCallStreamObserver<ChannelPacket> call;

    /** Opens a stream; with {@code reading} false the client never asks for a packet (a stuck reader). */
    ChatClient(int port, String token, boolean reading) {
        // A small window lets a client that stops reading push back on the server quickly.
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .flowControlWindow(reading ? 1 << 20 : 64 * 1024).build();
        var stub = ChatChannelGrpc.newStub(channel);
        if (token != null) {
            Metadata metadata = new Metadata();
            metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
        }
        requests = stub.connect(new ClientResponseObserver<ChannelPacket, ChannelPacket>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<ChannelPacket> requestStream) {
                call = requestStream;
                if (!reading) {
                    requestStream.disableAutoRequestWithInitial(0);
                }
            }

            @Override
            public void onNext(ChannelPacket packet) {
                received.add(packet);
            }

            @Override
            public void onError(Throwable t) {
                ended.set(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                ended.set(Status.OK);
            }
        });
    }

    ChatClient(int port, String token) {
        this(port, token, true);
    }

    ChatClient join(String sessionId, String participantId, Role role, long resumeAfter) {
        return send(ChannelPacket.newBuilder().setSessionId(sessionId).setJoin(Join.newBuilder()
                .setParticipantId(participantId).setRole(role).setResumeAfterSeq(resumeAfter)).build());
    }

    ChatClient text(String text, String clientMsgId) {
        return send(ChannelPacket.newBuilder().setText(TextMessage.newBuilder().setText(text)
                .setClientMsgId(clientMsgId)).build());
    }

    synchronized ChatClient send(ChannelPacket packet) {
        requests.onNext(packet);
        return this;
    }

    List<ChannelPacket> texts() {
        return received.stream().filter(ChannelPacket::hasText).toList();
    }

    long lastSeq() {
        return received.stream().mapToLong(ChannelPacket::getSeqNum).max().orElse(0);
    }

    void awaitReceived(Predicate<List<ChannelPacket>> condition) {
        await().atMost(TIMEOUT).until(() -> condition.test(received));
    }

    Status awaitEnd() {
        await().atMost(TIMEOUT).until(() -> ended.get() != null);
        return ended.get();
    }

    /** A stuck reader starts reading again. */
    void readEverything() {
        call.request(Integer.MAX_VALUE);
    }

    void hangUp() {
        requests.onCompleted();
    }

    @Override
    public void close() {
        if (ended.get() == null && call != null) {
            call.cancel("test done", null);
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
