package io.meshdesk.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A CloudEvent receiver on loopback, standing where a Knative Broker would: the routing
 * function under test gets its URL as {@code K_SINK} and the tests read what arrived.
 */
public class EventCapture implements QuarkusTestResourceLifecycleManager {

    /** One received binary-mode CloudEvent: its ce-* headers and its body. */
    public record Received(String id, String type, String subject, String source, String body) {
    }

    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private HttpServer server;

    public static List<Received> received() {
        return RECEIVED;
    }

    public static List<Received> of(String type, String subject) {
        return RECEIVED.stream().filter(r -> r.type().equals(type) && subject.equals(r.subject())).toList();
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
            RECEIVED.add(new Received(h.getFirst("ce-id"), h.getFirst("ce-type"), h.getFirst("ce-subject"),
                    h.getFirst("ce-source"), body));
            exchange.sendResponseHeaders(202, -1);
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
