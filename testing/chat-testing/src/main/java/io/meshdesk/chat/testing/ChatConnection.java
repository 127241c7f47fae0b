package io.meshdesk.chat.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
import io.meshdesk.chat.v1.Role;

/**
 * A participant's side of one {@code Connect} stream over real gRPC (plaintext h2c on loopback),
 * recording everything it receives. Used by the chat tests, the observability end-to-end test
 * and the load tests.
 *
 * <p>Waits are bounded by {@link #TIMEOUT} and woken by what the stream delivers (no polling):
 * each arriving packet, and the end of the stream, wakes whoever waits on this connection.
 */
public final class ChatConnection implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Nothing that satisfied the wait arrived within {@link #TIMEOUT}. */
    public static final class NotReceived extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotReceived(String message) {
            super(message);
        }
    }

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final List<ChannelPacket> received = new CopyOnWriteArrayList<>();
    /** Guarded by this; waiters are woken on every packet and at the end. */
    private Status ended;

    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final StreamObserver<ChannelPacket> requests;
    private final Object sending = new Object();
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
                headers(token, new Metadata()),
                reading);
    }

    public ChatConnection(int port, String token) {
        this(port, token, true);
    }

    /**
     * Opens a stream on a channel the caller owns and shares (many streams over one HTTP/2
     * connection, as a busy client or a load test has them); closing this stream leaves it open.
     */
    public ChatConnection(ManagedChannel shared, String token) {
        this(shared, token, new Metadata());
    }

    /** As {@link #ChatConnection(ManagedChannel, String)}, sending {@code extra} call metadata too (a traceparent, say). */
    public ChatConnection(ManagedChannel shared, String token, Metadata extra) {
        this(shared, false, headers(token, extra), true);
    }

    private ChatConnection(ManagedChannel channel, boolean ownsChannel, Metadata headers, boolean reading) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        var stub =
                ChatChannelGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
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
                wake();
            }

            @Override
            public void onError(Throwable t) {
                ended(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                ended(Status.OK);
            }
        });
    }

    private static Metadata headers(String token, Metadata extra) {
        Metadata headers = new Metadata();
        headers.merge(extra);
        if (token != null) {
            headers.put(AUTHORIZATION, "Bearer " + token);
        }
        return headers;
    }

    /** Also hands every packet to {@code onPacket} as it arrives (for timing deliveries). */
    public ChatConnection onPacket(Consumer<ChannelPacket> onPacket) {
        this.listener = onPacket;
        return this;
    }

    public ChatConnection join(String sessionId, String participantId, Role role, long resumeAfter) {
        return send(Packets.join(sessionId, participantId, role, resumeAfter));
    }

    public ChatConnection text(String text, String clientMsgId) {
        return send(Packets.text(text, clientMsgId));
    }

    /** Sends one packet; gRPC's stream observer is not thread-safe, so senders take turns. */
    public ChatConnection send(ChannelPacket packet) {
        synchronized (sending) {
            requests.onNext(packet);
        }
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
    public synchronized Status end() {
        return ended;
    }

    /**
     * Waits up to {@link #TIMEOUT} until what this connection received satisfies
     * {@code condition}; it is tested again whenever a packet arrives or the stream ends, so it
     * must depend on this connection alone (use Awaitility for conditions over several).
     */
    public void awaitReceived(Predicate<List<ChannelPacket>> condition) {
        awaitTrue(() -> condition.test(received), "the expected packets");
    }

    public Status awaitEnd() {
        awaitTrue(() -> ended != null, "the end of the stream");
        return end();
    }

    /** A stuck reader starts reading again. */
    public void readEverything() {
        call.request(Integer.MAX_VALUE);
    }

    public void hangUp() {
        requests.onCompleted();
    }

    private synchronized void ended(Status status) {
        ended = status;
        notifyAll();
    }

    private synchronized void wake() {
        notifyAll();
    }

    private synchronized void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new NotReceived("no " + what + " within " + TIMEOUT.toSeconds() + " s; received "
                        + received.size() + " packets, stream " + (ended == null ? "open" : "ended " + ended));
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        if (end() == null && call != null) {
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
