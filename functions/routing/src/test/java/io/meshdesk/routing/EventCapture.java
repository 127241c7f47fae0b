package io.meshdesk.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A CloudEvent receiver on loopback, standing where a Knative Broker would: the routing
 * function under test gets its URL as {@code K_SINK} and the tests read what arrived.
 */
public class EventCapture implements QuarkusTestResourceLifecycleManager {

    /** One received binary-mode CloudEvent: its ce-* headers and its body. */
    public record Received(
            String id,
            String type,
            String subject,
            String source,
            String body,
            String traceparent,
            String authorization) {}

    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static final AtomicInteger ATTEMPTS = new AtomicInteger();
    private static volatile int status = 202;

    /** Every POST that reached the receiver, accepted or not. */
    public static int attempts() {
        return ATTEMPTS.get();
    }

    /** What the receiver answers from now on: 202, or a failure such as 503. */
    public static void answer(int httpStatus) {
        status = httpStatus;
    }

    private HttpServer server;

    public static List<Received> received() {
        return RECEIVED;
    }

    public static List<Received> of(String type, String subject) {
        return RECEIVED.stream()
                .filter(r -> r.type().equals(type) && subject.equals(r.subject()))
                .toList();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            var h = exchange.getRequestHeaders();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            ATTEMPTS.incrementAndGet();
            int answer = status;
            if (answer < 300) {
                RECEIVED.add(new Received(
                        h.getFirst("ce-id"),
                        h.getFirst("ce-type"),
                        h.getFirst("ce-subject"),
                        h.getFirst("ce-source"),
                        body,
                        h.getFirst("traceparent"),
                        h.getFirst("Authorization")));
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
        return Map.of("K_SINK", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
