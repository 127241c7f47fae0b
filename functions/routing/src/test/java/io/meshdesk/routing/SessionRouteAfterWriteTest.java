package io.meshdesk.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.kv.TxnResponse;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.EtcdUnavailableException;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.events.EventSink;
import io.meshdesk.routing.lifecycle.RouteRequest;
import io.meshdesk.routing.lifecycle.RouteResult;
import io.meshdesk.routing.settings.RoutingSettings;
import io.meshdesk.session.contract.Channel;
import io.meshdesk.session.contract.Priority;
import io.meshdesk.session.contract.SessionState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Regression of issue 15, "a 503 that says nothing was written followed a write": during a
 * leader election session-route queued the session, then the read after the transaction failed
 * and the client was told 503. etcd here fails every call after the queueing transaction, as an
 * election would; the call must answer the session its own transaction wrote.
 */
@Timeout(60)
class SessionRouteAfterWriteTest {

    /** etcd that goes away right after the transaction that queues a session commits. */
    static final class GoneAfterQueueing extends BlockingEtcd {
        volatile boolean gone;

        GoneAfterQueueing(EtcdCluster cluster) {
            super(
                    BlockingEtcd.connect(cluster.endpoints(), Duration.ofSeconds(3))
                            .client(),
                    Duration.ofSeconds(3),
                    cluster.endpoints());
        }

        @Override
        public TxnResponse commit(Txn txn, String doing) {
            refuseIfGone(doing);
            TxnResponse response = super.commit(txn, doing);
            gone = gone || doing.startsWith("queueing session");
            return response;
        }

        @Override
        public KeyValue get(String key, String doing) {
            refuseIfGone(doing);
            return super.get(key, doing);
        }

        private void refuseIfGone(String doing) {
            if (gone) {
                throw new EtcdUnavailableException("etcd is electing a leader while " + doing, null);
            }
        }
    }

    static EtcdCluster cluster;
    static GoneAfterQueueing etcd;
    static RoutingInstance routing;

    @BeforeAll
    static void start() {
        cluster = EtcdCluster.single();
        etcd = new GoneAfterQueueing(cluster);
        RoutingSettings settings = RoutingSettings.defaults("cn-north")
                .withTimes(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60));
        routing =
                RoutingInstances.started(etcd, settings, EventSink.NONE, new SimpleMeterRegistry(), Clock.systemUTC());
        await().atMost(Duration.ofSeconds(30)).until(routing::ready);
    }

    @AfterAll
    static void stop() {
        routing.close();
        etcd.close();
        cluster.close();
    }

    @Test
    void aFailureAfterTheQueueingWriteAnswersTheQueuedSessionNotA503() {
        RouteResult result = routing.sessions()
                .route(new RouteRequest("after-write-1", "c-1", Channel.WEB, "en", Map.of(), null), Priority.STANDARD)
                .result();

        assertThat(result.sessionId()).isEqualTo("after-write-1");
        assertThat(result.state()).isEqualTo(SessionState.QUEUED);
        etcd.gone = false;
        assertThat(routing.sessions().read("after-write-1").state())
                .as("the session in etcd")
                .isEqualTo(SessionState.QUEUED);
        // The client's retry with the same id finds that session: no second one.
        RouteResult retried = routing.sessions()
                .route(new RouteRequest("after-write-1", "c-1", Channel.WEB, "en", Map.of(), null), Priority.STANDARD)
                .result();
        assertThat(retried.state()).isEqualTo(SessionState.QUEUED);
        assertThat(retried.enqueuedAt()).isEqualTo(result.enqueuedAt());
    }
}
