package io.meshdesk.etcd;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.meshdesk.etcd.testing.EtcdCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The one snapshot-then-watch of every function, against a real etcd member. */
@Timeout(90)
class PrefixFollowerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

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

    /** What a listener heard, one line each: "snapshot [keys]" or "put key=value" / "delete key". */
    static final class Heard implements PrefixFollower.Listener {
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final String prefix;

        Heard(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public void snapshot(List<KeyValue> kvs, long revision) {
            lines.add("snapshot " + kvs.stream().map(this::entry).toList());
        }

        @Override
        public void changed(WatchEvent event) {
            lines.add(
                    event.getEventType() == WatchEvent.EventType.DELETE
                            ? "delete " + name(event.getKeyValue())
                            : "put " + entry(event.getKeyValue()));
        }

        private String entry(KeyValue kv) {
            return name(kv) + "=" + Keyspace.text(kv.getValue());
        }

        private String name(KeyValue kv) {
            return Keyspace.text(kv.getKey()).substring(prefix.length());
        }
    }

    @Test
    void theSnapshotComesFirstThenEveryLaterChangeInOrder() {
        String prefix = "/meshdesk/test/follow-order/";
        put(etcd, prefix + "a", "1");
        put(etcd, prefix + "b", "1");
        Heard heard = new Heard(prefix);
        try (PrefixFollower follower = PrefixFollower.start(etcd, prefix, heard)) {
            await().atMost(TIMEOUT).until(() -> follower.snapshots() == 1);
            put(etcd, prefix + "c", "1");
            delete(etcd, prefix + "a");
            put(etcd, prefix + "b", "2");
            await().atMost(TIMEOUT).until(() -> heard.lines.size() == 4);
            assertThat(heard.lines).containsExactly("snapshot [a=1, b=1]", "put c=1", "delete a", "put b=2");
        }
    }

    @Test
    void afterTheMemberRestartsTheWatchResumesWithoutASecondSnapshot() {
        String prefix = "/meshdesk/test/follow-restart/";
        put(etcd, prefix + "a", "1");
        Heard heard = new Heard(prefix);
        try (PrefixFollower follower = PrefixFollower.start(etcd, prefix, heard)) {
            await().atMost(TIMEOUT).until(() -> follower.snapshots() == 1);
            put(etcd, prefix + "b", "1");
            await().atMost(TIMEOUT).until(() -> heard.lines.size() == 2);

            cluster.kill(0);
            cluster.restart(0);
            put(etcd, prefix + "c", "1");
            put(etcd, prefix + "b", "2");

            await().atMost(TIMEOUT).until(() -> heard.lines.size() >= 4);
            assertThat(heard.lines).containsExactly("snapshot [a=1]", "put b=1", "put c=1", "put b=2");
            assertThat(follower.snapshots()).as("snapshots taken").isEqualTo(1);
        }
    }

    @Test
    void historyCompactedWhileTheWatchWasAwayIsMadeUpByAFreshSnapshot() {
        String prefix = "/meshdesk/test/follow-compacted/";
        put(etcd, prefix + "a", "1");
        put(etcd, prefix + "b", "1");
        Heard heard = new Heard(prefix);
        try (TcpGate gate = new TcpGate(cluster.endpoints().get(0));
                BlockingEtcd behindGate = BlockingEtcd.connect(List.of(gate.url()), Duration.ofSeconds(5));
                PrefixFollower follower = PrefixFollower.start(behindGate, prefix, heard)) {
            await().atMost(TIMEOUT).until(() -> follower.snapshots() == 1);

            // Cut off, the follower misses these; the compaction removes the history it would resume from.
            gate.shut();
            put(etcd, prefix + "c", "1");
            delete(etcd, prefix + "a");
            long now = put(etcd, prefix + "b", "2");
            etcd.await(etcd.kv().compact(now, CompactOption.DEFAULT), "compacting");
            gate.open();

            await().atMost(TIMEOUT).until(() -> follower.snapshots() == 2);
            put(etcd, prefix + "d", "1");
            await().atMost(TIMEOUT).until(() -> heard.lines.contains("put d=1"));
            assertThat(heard.lines).containsExactly("snapshot [a=1, b=1]", "snapshot [b=2, c=1]", "put d=1");
        }
    }

    private static long put(BlockingEtcd etcd, String key, String value) {
        return etcd.await(etcd.kv().put(Keyspace.bytes(key), Keyspace.bytes(value)), "writing " + key)
                .getHeader()
                .getRevision();
    }

    private static void delete(BlockingEtcd etcd, String key) {
        etcd.await(etcd.kv().delete(Keyspace.bytes(key), DeleteOption.DEFAULT), "deleting " + key);
    }
}
