package io.meshdesk.chat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.meshdesk.chat.relay.SessionClosures;
import io.meshdesk.chat.relay.SessionDirectory;
import io.meshdesk.chat.relay.SessionDirectory.SessionInfo;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.identity.testing.TestTokens;
import io.meshdesk.localservers.FunctionCalls;
import io.meshdesk.localservers.FunctionInstance;
import io.meshdesk.session.contract.Channel;
import io.meshdesk.session.contract.Outcome;
import io.meshdesk.session.contract.SessionState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Chat reads the sessions the real routing writes: routing's packaged jar routes and closes a
 * session in a real etcd, and chat's directory and its watch read every field chat relies on.
 * A change to routing's session JSON that chat cannot read fails here, not in production.
 */
@Timeout(120)
class RoutingSessionsReadByChatTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();

    private static EtcdCluster etcd;
    private static FunctionInstance routing;
    private static BlockingEtcd client;

    @BeforeAll
    static void start() throws IOException {
        etcd = EtcdCluster.single();
        Path work = Files.createDirectories(ROOT.resolve("functions/chat/target/routing-" + System.nanoTime()));
        Path keys = work.resolve("jwks.json");
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(TestTokens.PUBLIC_KEYS)) {
            Files.copy(in, keys);
        }
        routing = FunctionInstance.of(ROOT, "routing")
                .workDir(work)
                .jvmOption("-Xmx256m")
                .property("meshdesk.etcd.endpoints", etcd.endpointsCsv())
                .trustingIssuer(TestTokens.ISSUER, keys)
                .start();
        client = BlockingEtcd.connect(etcd.endpoints(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (routing != null) {
            routing.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void chatReadsEveryFieldOfTheSessionsRoutingWrites() throws Exception {
        List<SessionInfo> watched = new CopyOnWriteArrayList<>();
        CountDownLatch watching = new CountDownLatch(1);
        SessionDirectory directory = new SessionDirectory(client);
        try (SessionClosures closures = new SessionClosures(client, watched::add)) {
            closures.start(watching::countDown);
            await().atMost(TIMEOUT).until(() -> watching.getCount() == 0);

            FunctionCalls.post(
                    routing,
                    "agent-register",
                    TestTokens.agent("a-contract"),
                    Map.of("agentId", "a-contract", "displayName", "A", "languages", List.of("en")));
            FunctionCalls.post(
                    routing,
                    "session-route",
                    TestTokens.customer("c-contract"),
                    Map.of("sessionId", "s-contract", "channel", "app", "language", "en"));
            assertThat(directory.find("s-contract"))
                    .isEqualTo(new SessionInfo(
                            "s-contract", Channel.APP, SessionState.ASSIGNED, "c-contract", "a-contract", null));

            FunctionCalls.post(
                    routing,
                    "session-close",
                    TestTokens.agent("a-contract"),
                    Map.of("sessionId", "s-contract", "outcome", "unresolved"));
            SessionInfo closed = new SessionInfo(
                    "s-contract", Channel.APP, SessionState.CLOSED, "c-contract", "a-contract", Outcome.UNRESOLVED);
            assertThat(directory.find("s-contract")).isEqualTo(closed);

            await().atMost(TIMEOUT).until(() -> watched.contains(closed));
            assertThat(watched)
                    .extracting(SessionInfo::state)
                    .containsExactly(SessionState.ASSIGNED, SessionState.CLOSED);
        }
    }
}
