package io.meshdesk.etcd;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.grpc.Context;
import io.meshdesk.etcd.testing.EtcdCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PrefixWatchTest {

    private static EtcdCluster cluster;
    private static BlockingEtcd etcd;

    @BeforeAll
    static void start() {
        cluster = EtcdCluster.single();
        etcd = BlockingEtcd.connect(cluster.endpoints(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        etcd.close();
        cluster.close();
    }

    @Test
    void aWatchOpenedDuringAGrpcCallOutlivesThatCall() throws Exception {
        // A chat participant's stream opens the session's shared watch; when that participant
        // leaves, the other one must go on receiving without the watch breaking and resuming.
        String prefix = "/meshdesk/test/outlives/";
        List<String> seen = new CopyOnWriteArrayList<>();
        Context.CancellableContext call = Context.current().withCancellation();
        PrefixWatch watch = call.call(() -> PrefixWatch.follow(
                etcd,
                prefix,
                PrefixWatch.currentRevision(etcd, prefix) + 1,
                event -> seen.add(Keyspace.text(event.getKeyValue().getKey()))));
        try {
            put(prefix + "1");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);

            call.cancel(null);
            put(prefix + "2");
            put(prefix + "3");

            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
            assertThat(seen).containsExactly(prefix + "1", prefix + "2", prefix + "3");
            assertThat(watch.resumptions())
                    .as("times the watch broke and was resumed")
                    .isZero();
        } finally {
            watch.close();
        }
    }

    @Test
    void aBrokenWatchResumesWithoutSkippingOrRepeating() {
        String prefix = "/meshdesk/test/resumes/";
        List<String> seen = new CopyOnWriteArrayList<>();
        try (PrefixWatch watch = PrefixWatch.follow(
                etcd,
                prefix,
                PrefixWatch.currentRevision(etcd, prefix) + 1,
                event -> seen.add(Keyspace.text(event.getKeyValue().getKey())))) {
            put(prefix + "1");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);

            cluster.kill(0);
            cluster.restart(0);
            put(prefix + "2");

            await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 2);
            assertThat(seen).containsExactly(prefix + "1", prefix + "2");
            assertThat(watch.resumptions()).isPositive();
        }
    }

    private static void put(String key) {
        etcd.await(etcd.kv().put(Keyspace.bytes(key), Keyspace.bytes("v")), "writing " + key);
    }
}
