package io.meshdesk.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.TxnResponse;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.events.Event;
import io.meshdesk.events.EventType;
import io.meshdesk.routing.lifecycle.RouteRequest;
import io.meshdesk.routing.lifecycle.SessionDesk;
import io.meshdesk.routing.metrics.RoutingMetrics;
import io.meshdesk.routing.presence.AgentRegistration;
import io.meshdesk.session.contract.Channel;
import io.meshdesk.session.contract.Priority;
import io.meshdesk.session.contract.SessionState;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15, "nothing acknowledged may be lost": an etcd try of a routing transaction that
 * committed but whose reply never came back. {@link BlockingEtcd} gives the try up after the
 * attempt timeout and sends it again; that second try fails its compare against the first one's
 * own write. The decision must still be announced as made, once: the client's answer, one
 * CloudEvent, the metrics of one assignment and no lost race. Real etcd; the only thing the test
 * does to it is withhold one reply.
 */
@Timeout(60)
class LandedRetryTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(400);

    EtcdCluster etcd;
    WithheldReply client;
    SimpleMeterRegistry registry;
    RoutingInstance routing;
    final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        etcd = EtcdCluster.single();
        client = new WithheldReply(etcd.endpoints());
        registry = new SimpleMeterRegistry();
        var settings = RoutingInstances.SETTINGS;
        routing = RoutingInstances.started(client, settings, events::add, registry, Clock.systemUTC());
        await().atMost(TIMEOUT).until(routing::ready);
    }

    @AfterEach
    void stop() {
        routing.close();
        client.close();
        etcd.close();
    }

    @Test
    void aNewSessionWhoseAssigningTryLandedButWasNotAnsweredIsAnsweredAndAnnouncedOnce() {
        register("lr-agent");
        client.withholdFirstReplyTo("assigning session lr-new ");

        SessionDesk.Routed routed = route("lr-new", "lr-agent");

        assertThat(client.landedFirst())
                .as("the withheld try committed in etcd")
                .isTrue();
        assertThat(client.tries()).as("tries of the assigning transaction").isEqualTo(2);
        assertThat(routed.existed())
                .as("answered as this call's own decision (logged as assigned), not as a repeat")
                .isFalse();
        assertThat(routed.result().state()).isEqualTo(SessionState.ASSIGNED);
        assertThat(routed.result().agentId()).isEqualTo("lr-agent");
        assertAssignedOnce("lr-new");
    }

    @Test
    void aQueuedSessionWhoseAssigningTryLandedButWasNotAnsweredIsAnnouncedOnceAndNotCountedAsAConflict() {
        SessionDesk.Routed queued = route("lr-queued", "lr-late");
        assertThat(queued.result().state()).isEqualTo(SessionState.QUEUED);
        client.withholdFirstReplyTo("assigning queued session lr-queued ");

        register("lr-late");

        await().atMost(TIMEOUT).until(() -> client.tries() == 2 && client.answered());
        assertThat(client.landedFirst())
                .as("the withheld try committed in etcd")
                .isTrue();
        assertThat(routing.sessions().get("lr-queued").agentId()).isEqualTo("lr-late");
        assertAssignedOnce("lr-queued");
    }

    @Test
    void aQueueingTryThatLandedButWasNotAnsweredIsAnsweredAsQueuedByThisCall() {
        client.withholdFirstReplyTo("queueing session lr-wait");

        SessionDesk.Routed routed = route("lr-wait", "nobody-speaks-this");

        assertThat(client.landedFirst())
                .as("the withheld try committed in etcd")
                .isTrue();
        assertThat(routed.existed()).as("answered as this call's own decision").isFalse();
        assertThat(routed.result().state()).isEqualTo(SessionState.QUEUED);
        assertThat(routed.result().queuePosition()).isEqualTo(1);
        await().atMost(TIMEOUT)
                .until(() -> !of(EventType.SESSION_QUEUED, "lr-wait").isEmpty());
        assertThat(of(EventType.SESSION_QUEUED, "lr-wait")).hasSize(1);
        assertThat(routing.audit().run().violations()).isEmpty();
    }

    private void assertAssignedOnce(String sessionId) {
        assertThat(of(EventType.SESSION_ASSIGNED, sessionId))
                .as("assigned events")
                .hasSize(1);
        assertThat(registry.find(RoutingMetrics.QUEUE_WAIT).timers().stream()
                        .mapToLong(Timer::count)
                        .sum())
                .as("assignments measured")
                .isEqualTo(1);
        assertThat(registry.get(RoutingMetrics.ASSIGNMENT_CONFLICTS).counter().count())
                .as("assignment conflicts")
                .isZero();
        assertThat(routing.audit().run().violations()).isEmpty();
    }

    private List<Event> of(EventType type, String sessionId) {
        return events.stream()
                .filter(e -> e.type() == type && e.subject().equals(sessionId))
                .toList();
    }

    /** An agent speaking a language named after it, so only the sessions asking for it go to it. */
    private void register(String agentId) {
        routing.presence().register(new AgentRegistration(agentId, null, Map.of(), List.of(agentId), 100, 100));
    }

    private SessionDesk.Routed route(String sessionId, String language) {
        return routing.sessions()
                .route(new RouteRequest(sessionId, "c", Channel.WEB, language, Map.of(), null), Priority.STANDARD);
    }

    /**
     * An etcd connection that sends the first transaction whose purpose starts with a given text
     * to etcd and lets it commit, but never hands its reply back: the caller's try times out
     * after the attempt timeout, as when a reply is lost on the network or a member freezes after
     * committing, and {@link BlockingEtcd} sends the same transaction again.
     */
    static final class WithheldReply extends BlockingEtcd {
        private volatile String withheld;
        private final AtomicInteger tries = new AtomicInteger();
        private final CompletableFuture<Boolean> landed = new CompletableFuture<>();
        private volatile boolean answered;

        WithheldReply(List<String> endpoints) {
            super(
                    Client.builder().endpoints(endpoints.toArray(String[]::new)).build(),
                    Duration.ofSeconds(3),
                    ATTEMPT_TIMEOUT,
                    endpoints);
        }

        void withholdFirstReplyTo(String doingPrefix) {
            withheld = doingPrefix;
        }

        int tries() {
            return tries.get();
        }

        boolean answered() {
            return answered;
        }

        boolean landedFirst() {
            return landed.getNow(false);
        }

        @Override
        public <T> T traced(String operation, Supplier<CompletableFuture<T>> call, String doing) {
            String prefix = withheld;
            if (prefix == null || !doing.startsWith(prefix)) {
                return super.traced(operation, call, doing);
            }
            T result = super.traced(
                    operation, () -> tries.incrementAndGet() == 1 ? landWithoutReply(call) : call.get(), doing);
            answered = true;
            return result;
        }

        private <T> CompletableFuture<T> landWithoutReply(Supplier<CompletableFuture<T>> call) {
            return call.get().thenCompose(reply -> {
                landed.complete(reply instanceof TxnResponse txn && txn.isSucceeded());
                return new CompletableFuture<>();
            });
        }
    }
}
