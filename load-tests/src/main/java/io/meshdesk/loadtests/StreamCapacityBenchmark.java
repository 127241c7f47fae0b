package io.meshdesk.loadtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Role;

/**
 * How many concurrent streams one chat instance holds in 512 MB of heap: streams are opened in
 * batches (customers of routed sessions, many streams per HTTP/2 connection as a gateway would
 * multiplex them) until the cap, a refusal, or the instance dies; then it reports what was held
 * and the heap it took.
 */
final class StreamCapacityBenchmark {

    static final int STREAMS_PER_CONNECTION = 90;
    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.eE+]+)");

    record Parameters(int maxStreams, int batch) {}

    static Report run(Platform platform, Parameters p) {
        FunctionClient routing =
                new FunctionClient(platform.routingInstances().get(0).url());
        var chat = platform.chatInstances().get(0);
        for (int a = 0; a < FunctionClient.agentsFor(p.maxStreams()); a++) {
            routing.as(platform.tokens().agent("cap-agent-" + a))
                    .call(
                            "agent-register",
                            FunctionClient.agent("cap-agent-" + a, FunctionClient.MAX_AGENT_CAPACITY, "en"));
        }
        List<ManagedChannel> channels = new ArrayList<>();
        List<ChatConnection> streams = new ArrayList<>();
        Timeline join = new Timeline("stream open and join");
        String stoppedBecause = "reached the cap of " + p.maxStreams();
        try (Ticker ticker = new Ticker(List.of(join))) {
            while (streams.size() < p.maxStreams()) {
                if (!chat.isAlive()) {
                    stoppedBecause = "the chat instance exited (see " + chat.log() + ")";
                    break;
                }
                List<ChatConnection> batch = new ArrayList<>();
                for (int i = 0; i < p.batch() && streams.size() + batch.size() < p.maxStreams(); i++) {
                    if ((streams.size() + batch.size()) % STREAMS_PER_CONNECTION == 0) {
                        channels.add(NettyChannelBuilder.forAddress("127.0.0.1", chat.port())
                                .usePlaintext()
                                .build());
                    }
                    String id = "cap-" + (streams.size() + batch.size()) + "-" + System.nanoTime();
                    var routed = routing.as(platform.tokens().customer(FunctionClient.customerOf(id)))
                            .call("session-route", FunctionClient.session(id, "en"));
                    long t0 = System.nanoTime();
                    ChatConnection c = new ChatConnection(
                            channels.get(channels.size() - 1),
                            routed.path("customerToken").asText());
                    c.join(id, FunctionClient.customerOf(id), Role.CUSTOMER, 0);
                    batch.add(c);
                    join.ok(System.nanoTime() - t0);
                }
                try {
                    for (ChatConnection c : batch) {
                        c.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasEvent));
                    }
                } catch (ChatConnection.NotReceived e) {
                    stoppedBecause = "a stream was not joined within " + ChatConnection.TIMEOUT.toSeconds() + " s";
                    batch.forEach(ChatConnection::close);
                    break;
                }
                if (batch.stream().anyMatch(c -> c.end() != null)) {
                    stoppedBecause = "chat refused a stream: "
                            + batch.stream()
                                    .filter(c -> c.end() != null)
                                    .findFirst()
                                    .map(c -> c.end().toString())
                                    .orElse("");
                    streams.addAll(batch);
                    break;
                }
                streams.addAll(batch);
            }
            long open = streams.stream().filter(c -> c.end() == null).count();
            double heapMb = heapUsedMb(chat.url());
            return new Report("bench-streams")
                    .parameter("max_streams", p.maxStreams())
                    .parameter("batch", p.batch())
                    .parameter("chat_heap", "-Xmx512m")
                    .parameter("streams_per_connection", STREAMS_PER_CONNECTION)
                    .figure("streams_held", open)
                    .figure("chat_heap_used_mb", heapMb)
                    .figure("heap_kb_per_stream", open == 0 ? 0 : heapMb * 1024 / open)
                    .figure("stopped_because", stoppedBecause)
                    .timeline(join);
        } finally {
            streams.forEach(ChatConnection::close);
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    static double heapUsedMb(URI chat) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(chat.resolve("/q/metrics"))
                                    .header("accept", "text/plain")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            double total = 0;
            Matcher m = HEAP.matcher(r.body());
            while (m.find()) {
                total += Double.parseDouble(m.group(1));
            }
            return total / (1024 * 1024);
        } catch (Exception e) {
            return -1;
        }
    }
}
