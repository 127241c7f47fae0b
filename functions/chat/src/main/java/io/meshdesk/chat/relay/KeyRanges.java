package io.meshdesk.chat.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;

/**
 * Key ranges read from etcd a page at a time: etcd answers at most 4 MiB per response (jetcd's
 * default inbound cap), and a prefix with many keys, or a long conversation, is larger than that.
 * Every method blocks on etcd.
 */
public final class KeyRanges {

    private KeyRanges() {}

    /** The range end of a prefix: the first key after every key that starts with it. */
    public static ByteSequence endOf(String prefix) {
        return Keyspace.bytes(
                prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1));
    }

    /** At most {@code limit} keys from {@code from} (inclusive) to {@code to} (exclusive), in key order. */
    public static List<KeyValue> page(
            BlockingEtcd etcd, ByteSequence from, ByteSequence to, int limit, boolean keysOnly, String doing) {
        return etcd.traced(
                        "etcd range",
                        () -> etcd.kv()
                                .get(
                                        from,
                                        GetOption.builder()
                                                .withRange(to)
                                                .withLimit(limit)
                                                .withKeysOnly(keysOnly)
                                                .build()),
                        doing)
                .getKvs();
    }

    /** Hands every key under {@code prefix} to {@code each}, a page of at most {@code pageSize} at a time. */
    public static void forEachPage(
            BlockingEtcd etcd,
            String prefix,
            int pageSize,
            boolean keysOnly,
            String doing,
            Consumer<List<KeyValue>> each) {
        ByteSequence end = endOf(prefix);
        ByteSequence from = Keyspace.bytes(prefix);
        while (true) {
            List<KeyValue> page = page(etcd, from, end, pageSize, keysOnly, doing);
            each.accept(page);
            if (page.size() < pageSize) {
                return;
            }
            from = Keyspace.bytes(Keyspace.text(page.get(page.size() - 1).getKey()) + "\0");
        }
    }

    /** Every key under {@code prefix}, read a page at a time. */
    public static List<KeyValue> all(BlockingEtcd etcd, String prefix, int pageSize, boolean keysOnly, String doing) {
        List<KeyValue> all = new ArrayList<>();
        forEachPage(etcd, prefix, pageSize, keysOnly, doing, all::addAll);
        return all;
    }
}
