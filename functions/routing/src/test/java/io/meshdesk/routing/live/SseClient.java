package io.meshdesk.routing.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads a server-sent-events stream the way the pages do (a GET with headers), event by event. */
final class SseClient implements AutoCloseable {

    /** One event and when it arrived. */
    record Event(String name, JsonNode data, Instant at) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile int status;

    SseClient(URI uri, String header, String value) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header(header, value)
                .header("accept", "text/event-stream")
                .GET()
                .build();
        this.response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            status = r.statusCode();
            String[] name = {null};
            r.body().forEach(line -> {
                if (line.startsWith("event: ")) {
                    name[0] = line.substring(7);
                } else if (line.startsWith("data: ") && name[0] != null) {
                    try {
                        events.add(new Event(name[0], JSON.readTree(line.substring(6)), Instant.now()));
                    } catch (Exception e) {
                        throw new IllegalStateException("not JSON: " + line, e);
                    }
                }
            });
        });
    }

    int status() {
        return status;
    }

    List<Event> events(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    Event last(String name) {
        List<Event> named = events(name);
        return named.isEmpty() ? null : named.get(named.size() - 1);
    }

    @Override
    public void close() {
        response.cancel(true);
        response.thenAccept(r -> r.body().close());
    }
}
