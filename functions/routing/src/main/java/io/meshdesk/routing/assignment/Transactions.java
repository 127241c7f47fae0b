package io.meshdesk.routing.assignment;

import java.util.ArrayList;
import java.util.List;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.routing.RoutingJson;
import io.meshdesk.routing.view.RegionView;

/**
 * One compare-and-write etcd transaction, described as guards, writes and the keys to read back
 * when a guard fails. Its outcome is fed to the {@link RegionView} either way, so a lost race
 * leaves the view as fresh as the transaction that lost it.
 */
public final class Transactions {

    private final BlockingEtcd etcd;
    private final RegionView view;

    public Transactions(BlockingEtcd etcd, RegionView view) {
        this.etcd = etcd;
        this.view = view;
    }

    public Builder begin() {
        return new Builder();
    }

    /** The result: whether the guards held, the revision, and (when they did not) what is there now. */
    public record Outcome(boolean succeeded, long revision, List<KeyValue> current) {

        /** The current value at key as read back by a failed transaction, or null when absent. */
        public KeyValue current(String key) {
            ByteSequence k = Keyspace.bytes(key);
            return current.stream()
                    .filter(kv -> kv.getKey().equals(k))
                    .findFirst()
                    .orElse(null);
        }
    }

    public final class Builder {
        private final List<Cmp> guards = new ArrayList<>();
        private final List<Op> writes = new ArrayList<>();
        private final List<String> written = new ArrayList<>();
        private final List<ByteSequence> values = new ArrayList<>();
        private final List<String> reads = new ArrayList<>();

        /** The key still has the revision we read (a concurrent change makes the transaction fail). */
        public Builder unchanged(String key, long modRevision) {
            guards.add(new Cmp(Keyspace.bytes(key), Cmp.Op.EQUAL, CmpTarget.modRevision(modRevision)));
            return readBack(key);
        }

        /** The key does not exist (yet). */
        public Builder absent(String key) {
            guards.add(new Cmp(Keyspace.bytes(key), Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
            return readBack(key);
        }

        public Builder put(String key, Object value) {
            return put(key, value, 0);
        }

        public Builder put(String key, Object value, long leaseId) {
            ByteSequence bytes = RoutingJson.encode(value);
            PutOption option = leaseId == 0
                    ? PutOption.DEFAULT
                    : PutOption.builder().withLeaseId(leaseId).build();
            writes.add(Op.put(Keyspace.bytes(key), bytes, option));
            written.add(key);
            values.add(bytes);
            return this;
        }

        public Builder delete(String key) {
            writes.add(Op.delete(Keyspace.bytes(key), DeleteOption.DEFAULT));
            written.add(key);
            values.add(null);
            return this;
        }

        private Builder readBack(String key) {
            if (!reads.contains(key)) {
                reads.add(key);
            }
            return this;
        }

        public Outcome commit(String doing) {
            List<Op> elseOps = reads.stream()
                    .map(k -> (Op) Op.get(Keyspace.bytes(k), GetOption.DEFAULT))
                    .toList();
            TxnResponse response = etcd.commit(
                    etcd.txn()
                            .If(guards.toArray(Cmp[]::new))
                            .Then(writes.toArray(Op[]::new))
                            .Else(elseOps.toArray(Op[]::new)),
                    doing);
            long revision = response.getHeader().getRevision();
            if (response.isSucceeded()) {
                for (int i = 0; i < written.size(); i++) {
                    view.apply(written.get(i), values.get(i), revision);
                }
                return new Outcome(true, revision, List.of());
            }
            List<KeyValue> current = new ArrayList<>();
            List<GetResponse> gets = response.getGetResponses();
            for (int i = 0; i < gets.size(); i++) {
                List<KeyValue> kvs = gets.get(i).getKvs();
                if (kvs.isEmpty()) {
                    view.apply(reads.get(i), null, revision);
                } else {
                    KeyValue kv = kvs.get(0);
                    view.apply(reads.get(i), kv.getValue(), kv.getModRevision());
                    current.add(kv);
                }
            }
            return new Outcome(false, revision, current);
        }
    }
}
