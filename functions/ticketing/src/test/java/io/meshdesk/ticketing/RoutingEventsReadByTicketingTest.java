package io.meshdesk.ticketing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.identity.testing.TestTokens;
import io.meshdesk.localservers.FunctionCalls;
import io.meshdesk.localservers.FunctionInstance;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ticketing reads the {@code meshdesk.session.closed} event the real routing sends: routing's
 * packaged jar, with this ticketing as its K_SINK and the test issuer's keys to sign its sender
 * token, routes and closes a premium customer's session unresolved, and the ticket ticketing
 * makes of it carries the session's channel, customer and priority.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@Timeout(120)
class RoutingEventsReadByTicketingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();

    @TestHTTPResource("/")
    URL ticketing;

    @Test
    void anUnresolvedSessionClosedByRoutingBecomesATicketWithItsFields() throws IOException {
        Path work = Files.createDirectories(ROOT.resolve("functions/ticketing/target/routing-" + System.nanoTime()));
        Path publicKeys = copy("jwks.json", work);
        Path signingKeys = copy("private-jwks.json", work);
        try (EtcdCluster etcd = EtcdCluster.single();
                FunctionInstance routing = FunctionInstance.of(ROOT, "routing")
                        .workDir(work)
                        .jvmOption("-Xmx256m")
                        .property("meshdesk.etcd.endpoints", etcd.endpointsCsv())
                        .trustingIssuer(TestTokens.ISSUER, publicKeys)
                        .property("K_SINK", ticketing.toString())
                        .property("meshdesk.events.only", "meshdesk.session.closed")
                        .property("meshdesk.events.auth.signing-keys", signingKeys.toString())
                        .start()) {
            FunctionCalls.post(
                    routing,
                    "agent-register",
                    TestTokens.agent("a-routed"),
                    Map.of("agentId", "a-routed", "displayName", "A", "languages", List.of("en")));
            FunctionCalls.post(
                    routing,
                    "session-route",
                    TestTokens.premiumCustomer("c-routed"),
                    Map.of("sessionId", "s-routed", "channel", "miniprogram", "language", "en"));
            FunctionCalls.post(
                    routing,
                    "session-close",
                    TestTokens.agent("a-routed"),
                    Map.of("sessionId", "s-routed", "outcome", "unresolved"));

            await().atMost(TIMEOUT).until(() -> TicketEventsTest.ticketsOf("c-routed") == 1);
            Map<String, Object> ticket = Api.list(
                            Api.ok(Api.call("ticket-search", Map.of("customerId", "c-routed"))), "tickets")
                    .get(0);
            assertThat(ticket)
                    .containsEntry("sessionId", "s-routed")
                    .containsEntry("channel", "miniprogram")
                    .containsEntry("priority", "high")
                    .containsEntry("subject", "Unresolved miniprogram session s-routed");
        }
    }

    private static Path copy(String keys, Path dir) throws IOException {
        Path file = dir.resolve(keys);
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream("meshdesk-test-issuer/" + keys)) {
            Files.copy(in, file);
        }
        return file;
    }
}
