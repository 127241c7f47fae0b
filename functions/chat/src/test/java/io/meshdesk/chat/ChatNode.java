package io.meshdesk.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.grpc.GrpcChatChannel;
import io.meshdesk.chat.grpc.SessionAuthInterceptor;
import io.meshdesk.chat.metrics.ChatMetrics;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.events.EventSink;
import io.meshdesk.token.SessionTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * One chat instance as its own gRPC server on a loopback port, with its own etcd client: what a
 * separate pod would be. Tests run two of these and move participants between them.
 */
final class ChatNode implements AutoCloseable {

    static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";
    static final int MAX_INBOUND = 64 * 1024;

    final BlockingEtcd etcd;
    final ChatInstance chat;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Server server;
    private boolean closed;

    ChatNode(EtcdCluster cluster, ChatSettings settings, EventSink sink) {
        this.etcd = BlockingEtcd.connect(cluster.endpoints(), Duration.ofSeconds(3));
        this.chat = new ChatInstance(
                        etcd, settings, sink, new ChatMetrics(registry, settings.region()), Clock.systemUTC())
                .start();
        SessionTokens tokens = new SessionTokens(SECRET, Duration.ZERO, Clock.systemUTC());
        try {
            // The same bounds as application.properties (max-inbound-message-size, max-header-list-size).
            this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .maxInboundMessageSize(MAX_INBOUND)
                    .maxInboundMetadataSize(64 * 1024)
                    .addService(
                            ServerInterceptors.intercept(new GrpcChatChannel(chat), new SessionAuthInterceptor(tokens)))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getPort();
    }

    /** Stops abruptly, as a scaled-down or crashed pod would: open streams are cut. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        chat.close();
        etcd.close();
    }
}
