package io.meshdesk.routing.state;

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
import io.meshdesk.routing.json.RoutingJson;

/** {@link Transactions} on etcd: one jetcd Txn per commit, its outcome fed to the region view. */
final class EtcdTransactions implements Transactions {

    private final BlockingEtcd etcd;
    private final RegionView view;

    EtcdTransactions(BlockingEtcd etcd, RegionView view) {
        this.etcd = etcd;
        this.view = view;
    }

    @Override
    public Builder begin() {
        return new EtcdBuilder();
    }

    private final class EtcdBuilder implements Builder {
        private final List<Cmp> guards = new ArrayList<>();
        private final List<Op> writes = new ArrayList<>();
        private final List<String> written = new ArrayList<>();
        private final List<ByteSequence> values = new ArrayList<>();
        private final List<String> reads = new ArrayList<>();

        @Override
        public Builder unchanged(String key, long modRevision) {
            guards.add(new Cmp(Keyspace.bytes(key), Cmp.Op.EQUAL, CmpTarget.modRevision(modRevision)));
            return readBack(key);
        }

        @Override
        public Builder absent(String key) {
            guards.add(new Cmp(Keyspace.bytes(key), Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
            return readBack(key);
        }

        @Override
        public Builder put(String key, Object value) {
            return put(key, value, 0);
        }

        @Override
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

        @Override
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

        @Override
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
