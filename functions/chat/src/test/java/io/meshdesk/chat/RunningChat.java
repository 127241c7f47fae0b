package io.meshdesk.chat;

import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.testing.EtcdTestResource;
import io.meshdesk.token.SessionTokens;

/**
 * For the {@code @QuarkusTest} classes: the packaged function's token secret and sessions written
 * into the etcd that {@link EtcdTestResource} started, as routing writes them.
 */
public final class RunningChat {

    /** The default secret of application.properties, as a local routing would use it. */
    public static final String LOCAL_SECRET = "local-development-secret-change-me-0123456789";

    public static final SessionTokens TOKENS =
            new SessionTokens(LOCAL_SECRET, Duration.ofMinutes(5), Clock.systemUTC());

    private RunningChat() {}

    /** A plaintext (h2c) channel to the function's HTTP port, for many streams over one connection. */
    public static ManagedChannel channel(URL root) {
        return NettyChannelBuilder.forAddress("127.0.0.1", root.getPort())
                .usePlaintext()
                .build();
    }

    /** Writes an assigned session (channel web) of {@code customerId} and {@code agentId}. */
    public static void putAssignedSession(String sessionId, String customerId, String agentId) throws Exception {
        try (Client etcd = Client.builder()
                .endpoints(EtcdTestResource.cluster().endpoints().toArray(String[]::new))
                .build()) {
            etcd.getKVClient()
                    .put(
                            Keyspace.bytes(Keyspace.session(sessionId)),
                            Keyspace.bytes(ChatFixture.sessionJson(sessionId, "assigned", customerId, agentId)))
                    .get(5, TimeUnit.SECONDS);
        }
    }
}
