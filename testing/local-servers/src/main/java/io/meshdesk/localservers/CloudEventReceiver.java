package io.meshdesk.localservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

/**
 * A CloudEvent receiver on a free loopback port, standing where a Knative Broker would: a
 * function under test gets {@link #url()} as {@code K_SINK}, and the test reads what arrived,
 * or makes the receiver fail ({@link #answer}) to see what the sender does then.
 */
public final class CloudEventReceiver implements AutoCloseable {

    /** One received binary-mode CloudEvent: its ce-* and other headers, its body, when it came. */
    public record Received(
            String id,
            String type,
            String subject,
            String source,
            String body,
            String traceparent,
            String authorization,
            String specversion,
            String time,
            String contentType,
            Instant at) {}

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Instant> attempts = new CopyOnWriteArrayList<>();
    private volatile int status = 202;

    private CloudEventReceiver(HttpServer server) {
        this.server = server;
    }

    public static CloudEventReceiver start() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the CloudEvent receiver", e);
        }
        CloudEventReceiver receiver = new CloudEventReceiver(server);
        server.createContext("/", exchange -> {
            Headers h = exchange.getRequestHeaders();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Instant now = Instant.now();
            receiver.attempts.add(now);
            int answer = receiver.status;
            if (answer < 300) {
                receiver.received.add(new Received(
                        h.getFirst("ce-id"),
                        h.getFirst("ce-type"),
                        h.getFirst("ce-subject"),
                        h.getFirst("ce-source"),
                        body,
                        h.getFirst("traceparent"),
                        h.getFirst("Authorization"),
                        h.getFirst("ce-specversion"),
                        h.getFirst("ce-time"),
                        h.getFirst("Content-Type"),
                        now));
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
        return receiver;
    }

    /** The URL to give the sender as {@code K_SINK}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** What the receiver answers from now on: 202, or a failure such as 503. */
    public void answer(int httpStatus) {
        status = httpStatus;
    }

    /** How many POSTs reached the receiver, accepted or not. */
    public int attempts() {
        return attempts.size();
    }

    /** When each POST reached the receiver, accepted or not, in order. */
    public List<Instant> attemptTimes() {
        return List.copyOf(attempts);
    }

    /** The events accepted (answered below 300), in order of arrival. */
    public List<Received> received() {
        return received;
    }

    public List<Received> of(String type, String subject) {
        return received.stream()
                .filter(r -> type.equals(r.type()) && subject.equals(r.subject()))
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
