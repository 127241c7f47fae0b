package io.meshdesk.loadtests;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;

/**
 * Chat delivery against its physical limit: P99 from a customer's send on one chat instance to
 * the agent's receipt on another, divided by the P99 from a raw etcd put to its watch event at
 * the same message rate against the same etcd (the path every chat message takes underneath).
 * Target: at most 2.
 */
final class ChatDeliveryBenchmark {

    /** messages are measured after warmUpSeconds of the same rate, on both paths. */
    record Parameters(int rate, int messages, int warmUpSeconds) {
        int total() {
            return messages + rate * warmUpSeconds;
        }
    }

    static Report run(Platform platform, Parameters p) throws Exception {
        Timeline raw = rawPutToWatch(platform, p);

        FunctionClient routing =
                new FunctionClient(platform.routingInstances().get(0).url());
        int chatA = platform.chatInstances().get(0).port();
        int chatB = platform.chatInstances().get(1).port();
        Timeline chat = new Timeline("chat: customer send on A to agent receive on B").warmUp(p.warmUpSeconds());
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        // A person types a few messages a second: the rate is spread over sessions of ten a second each.
        int sessions = Math.max(1, (int) Math.ceil(p.rate() / 10.0));
        List<ChatConversations.Pair> pairs =
                ChatConversations.open(routing, platform.tokens(), chatA, chatB, sessions, "bench", chat, sentAt);
        try (Ticker ticker = new Ticker(List.of(chat))) {
            long start = System.nanoTime();
            for (int n = 1; n <= p.total(); n++) {
                long due = start + (long) (n * 1e9 / p.rate());
                Pause.until(due);
                ChatConversations.Pair pair = pairs.get(n % pairs.size());
                ChatConversations.send(pair.customer(), pair.session() + ":c:" + n, sentAt, chat);
            }
            long drain = System.nanoTime() + 10_000_000_000L;
            while (!sentAt.isEmpty() && System.nanoTime() < drain) {
                Pause.millis(20);
            }
        } finally {
            ChatConversations.close(routing, platform.tokens(), pairs);
        }
        double ratio = chat.percentileMs(99) / Math.max(0.001, raw.percentileMs(99));
        return new Report("bench-chat-delivery")
                .parameter("rate_per_s", p.rate())
                .parameter("messages", p.messages())
                .parameter("warm_up_s", p.warmUpSeconds())
                .parameter("sessions", sessions)
                .figure("raw_put_to_watch_p99_ms", raw.percentileMs(99))
                .figure("chat_delivery_p99_ms", chat.percentileMs(99))
                .figure("ratio_chat_to_raw_p99", ratio)
                .figure("ratio_target_at_most", 2.0)
                .figure("chat_not_delivered", sentAt.size())
                .note("Raw etcd: puts under one prefix at the same rate with a watch on it, in this process, "
                        + "against the same etcd, just before the chat run.")
                .note("Both paths run " + p.warmUpSeconds() + " s at the same rate first; those seconds are "
                        + "plotted but left out of the percentiles.")
                .timeline(raw)
                .timeline(chat);
    }

    static Timeline rawPutToWatch(Platform platform, Parameters p) throws Exception {
        Timeline t = new Timeline("raw etcd put to watch event").warmUp(p.warmUpSeconds());
        Map<String, Long> putAt = new ConcurrentHashMap<>();
        String prefix = "/bench/watch/" + System.nanoTime() + "/";
        try (Client client = Client.builder()
                        .endpoints(platform.etcd().endpoints().toArray(String[]::new))
                        .build();
                Watch.Watcher watcher = client.getWatchClient()
                        .watch(
                                bytes(prefix),
                                WatchOption.builder().isPrefix(true).build(),
                                response -> response.getEvents().forEach(e -> {
                                    Long t0 = putAt.remove(
                                            e.getKeyValue().getKey().toString(StandardCharsets.UTF_8));
                                    if (t0 != null) {
                                        t.ok(System.nanoTime() - t0);
                                    }
                                }));
                Ticker ticker = new Ticker(List.of(t))) {
            Pause.millis(200);
            long start = System.nanoTime();
            for (int n = 1; n <= p.total(); n++) {
                long due = start + (long) (n * 1e9 / p.rate());
                Pause.until(due);
                String key = prefix + String.format("%08d", n);
                putAt.put(key, System.nanoTime());
                client.getKVClient().put(bytes(key), bytes("{\"text\":\"hello\"}"), PutOption.DEFAULT);
            }
            long drain = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!putAt.isEmpty() && System.nanoTime() < drain) {
                Pause.millis(20);
            }
        }
        return t;
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
