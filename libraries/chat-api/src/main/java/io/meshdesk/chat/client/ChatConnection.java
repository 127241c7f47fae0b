package io.meshdesk.chat.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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

/**
 * A participant's side of one {@code Connect} stream over real gRPC (plaintext h2c on loopback),
 * recording everything it receives. Used by the chat tests, the observability end-to-end test
 * and the load tests.
 */
public final class ChatConnection implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final List<ChannelPacket> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Status> ended = new AtomicReference<>();
    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final StreamObserver<ChannelPacket> requests;
    private volatile ClientCallStreamObserver<ChannelPacket> call;
    private volatile Consumer<ChannelPacket> listener = packet -> {};

    /**
     * Opens a stream to 127.0.0.1:{@code port} with {@code token} as its bearer token (none when
     * null); with {@code reading} false it never asks for a packet (a stuck reader).
     */
    public ChatConnection(int port, String token, boolean reading) {
        // A small window lets a client that stops reading push back on the server quickly.
        this(
                NettyChannelBuilder.forAddress("127.0.0.1", port)
                        .usePlaintext()
                        .flowControlWindow(reading ? 1 << 20 : 64 * 1024)
                        .build(),
                true,
                token,
                reading);
    }

    /**
     * Opens a stream on a channel the caller owns and shares (many streams over one HTTP/2
     * connection, as a busy client or a load test has them); closing this stream leaves it open.
     */
    public ChatConnection(ManagedChannel shared, String token) {
        this(shared, false, token, true);
    }

    private ChatConnection(ManagedChannel channel, boolean ownsChannel, String token, boolean reading) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
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
                listener.accept(packet);
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

    public ChatConnection(int port, String token) {
        this(port, token, true);
    }

    /** Also hands every packet to {@code onPacket} as it arrives (for timing deliveries). */
    public ChatConnection onPacket(Consumer<ChannelPacket> onPacket) {
        this.listener = onPacket;
        return this;
    }

    public ChatConnection join(String sessionId, String participantId, Role role, long resumeAfter) {
        return send(ChannelPacket.newBuilder()
                .setSessionId(sessionId)
                .setJoin(Join.newBuilder()
                        .setParticipantId(participantId)
                        .setRole(role)
                        .setResumeAfterSeq(resumeAfter))
                .build());
    }

    public ChatConnection text(String text, String clientMsgId) {
        return send(ChannelPacket.newBuilder()
                .setText(TextMessage.newBuilder().setText(text).setClientMsgId(clientMsgId))
                .build());
    }

    public synchronized ChatConnection send(ChannelPacket packet) {
        requests.onNext(packet);
        return this;
    }

    /** Everything received so far, in arrival order (a live view). */
    public List<ChannelPacket> received() {
        return received;
    }

    public List<ChannelPacket> texts() {
        return received.stream().filter(ChannelPacket::hasText).toList();
    }

    public long lastSeq() {
        return received.stream().mapToLong(ChannelPacket::getSeqNum).max().orElse(0);
    }

    /** How the stream ended, or null while it is open. */
    public Status end() {
        return ended.get();
    }

    /** Waits up to {@link #TIMEOUT} until what was received satisfies {@code condition}. */
    public void awaitReceived(Predicate<List<ChannelPacket>> condition) {
        awaitTrue(() -> condition.test(received), "the expected packets");
    }

    public Status awaitEnd() {
        awaitTrue(() -> ended.get() != null, "the end of the stream");
        return ended.get();
    }

    /** A stuck reader starts reading again. */
    public void readEverything() {
        call.request(Integer.MAX_VALUE);
    }

    public void hangUp() {
        requests.onCompleted();
    }

    private void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no " + what + " within " + TIMEOUT.toSeconds() + " s; received " + received.size()
                                + " packets, stream " + (ended.get() == null ? "open" : "ended " + ended.get()));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        if (ended.get() == null && call != null) {
            call.cancel("client closed", null);
        }
        if (!ownsChannel) {
            return;
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
