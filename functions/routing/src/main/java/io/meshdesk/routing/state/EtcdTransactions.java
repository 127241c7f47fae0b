package io.meshdesk.routing.state;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Txn;
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

/**
 * {@link Transactions} on etcd: one jetcd Txn per commit, its outcome fed to the region view.
 *
 * <p>{@link BlockingEtcd} sends a try again when its reply does not come in time, and a try
 * whose reply was lost may have committed: the next try then fails its compare against our own
 * write. Such a failure is recognised as this transaction's success (see {@code landedEarlier}),
 * so the caller announces its decision once instead of taking it for a lost race.
 */
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
            // The written keys are read back too: a failed compare then shows whether our own
            // earlier try is what moved them.
            written.forEach(this::readBack);
            List<Op> elseOps = reads.stream()
                    .map(k -> (Op) Op.get(Keyspace.bytes(k), GetOption.DEFAULT))
                    .toList();
            Txn txn = etcd.txn()
                    .If(guards.toArray(Cmp[]::new))
                    .Then(writes.toArray(Op[]::new))
                    .Else(elseOps.toArray(Op[]::new));
            AtomicInteger tries = new AtomicInteger();
            TxnResponse response = etcd.traced(
                    "etcd txn",
                    () -> {
                        tries.incrementAndGet();
                        return txn.commit();
                    },
                    doing);
            long revision = response.getHeader().getRevision();
            if (response.isSucceeded()) {
                return committed(revision);
            }
            long ours = tries.get() > 1 ? landedEarlier(response, doing) : 0;
            if (ours > 0) {
                return committed(ours);
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

        private Outcome committed(long revision) {
            for (int i = 0; i < written.size(); i++) {
                view.apply(written.get(i), values.get(i), revision);
            }
            return new Outcome(true, revision, List.of());
        }

        /**
         * The revision at which an earlier try of this transaction committed, or 0 when the
         * failed compare was a real lost race. Ours when a written key holds exactly the bytes
         * we wrote, and at that key's revision every key we put held our bytes at that very
         * revision and every key we deleted was absent: one revision is one etcd transaction, so
         * that one wrote what we did. (A decision's values carry its own times and ids, so
         * another decision does not write the same bytes.)
         */
        private long landedEarlier(TxnResponse failed, String doing) {
            long candidate = 0;
            List<GetResponse> gets = failed.getGetResponses();
            for (int i = 0; i < gets.size() && candidate == 0; i++) {
                int w = written.indexOf(reads.get(i));
                List<KeyValue> kvs = gets.get(i).getKvs();
                if (w >= 0
                        && values.get(w) != null
                        && !kvs.isEmpty()
                        && kvs.get(0).getValue().equals(values.get(w))) {
                    candidate = kvs.get(0).getModRevision();
                }
            }
            if (candidate == 0) {
                return 0;
            }
            GetOption atCandidate = GetOption.builder().withRevision(candidate).build();
            TxnResponse then = etcd.commit(
                    etcd.txn()
                            .Then(written.stream()
                                    .map(k -> (Op) Op.get(Keyspace.bytes(k), atCandidate))
                                    .toArray(Op[]::new)),
                    "reading back at revision " + candidate + " whether an earlier try landed while " + doing);
            for (int i = 0; i < written.size(); i++) {
                List<KeyValue> kvs = then.getGetResponses().get(i).getKvs();
                boolean ours = values.get(i) == null
                        ? kvs.isEmpty()
                        : !kvs.isEmpty()
                                && kvs.get(0).getModRevision() == candidate
                                && kvs.get(0).getValue().equals(values.get(i));
                if (!ours) {
                    return 0;
                }
            }
            return candidate;
        }
    }
}
