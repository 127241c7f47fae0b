package io.meshdesk.routing.state;

import java.util.List;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;

/**
 * One compare-and-write etcd transaction, described as guards, writes and the keys to read back
 * when a guard fails. Its outcome is fed to the {@link RegionView} either way, so a lost race
 * leaves the view as fresh as the transaction that lost it. Every write of routing's state goes
 * through here: it is the only way into the view apart from its watches.
 */
public interface Transactions {

    /** The transactions of one etcd client, feeding their outcomes to view. */
    static Transactions on(BlockingEtcd etcd, RegionView view) {
        return new EtcdTransactions(etcd, view);
    }

    Builder begin();

    /** The result: whether the guards held, the revision, and (when they did not) what is there now. */
    record Outcome(boolean succeeded, long revision, List<KeyValue> current) {

        /** The current value at key as read back by a failed transaction, or null when absent. */
        public KeyValue current(String key) {
            ByteSequence k = Keyspace.bytes(key);
            return current.stream()
                    .filter(kv -> kv.getKey().equals(k))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** Guards, then writes; {@link #commit} sends them as one transaction. */
    interface Builder {

        /** The key still has the revision we read (a concurrent change makes the transaction fail). */
        Builder unchanged(String key, long modRevision);

        /** The key does not exist (yet). */
        Builder absent(String key);

        /** Writes value as routing's JSON, without a lease. */
        Builder put(String key, Object value);

        /** Writes value as routing's JSON, bound to the lease (0: none). */
        Builder put(String key, Object value, long leaseId);

        Builder delete(String key);

        /** Commits; doing says what for, in the error when etcd cannot be reached. */
        Outcome commit(String doing);
    }
}
