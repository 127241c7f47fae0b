package io.meshdesk.routing.live;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/**
 * One server-sent-events response held open: named events with a JSON line of data, and a
 * comment every 15 s so that proxies and the browser keep an idle stream. Safe to call from any
 * thread (Vert.x hands the writes to the connection's event loop).
 */
final class SseStream {

    private static final long KEEP_ALIVE_MS = 15_000;

    private final HttpServerResponse response;
    private final Vertx vertx;
    private final long timer;
    private volatile boolean open = true;

    SseStream(Vertx vertx, HttpServerResponse response) {
        this.vertx = vertx;
        this.response = response;
        response.setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-store")
                .putHeader("x-accel-buffering", "no");
        response.write(": meshdesk live updates\n\n");
        this.timer = vertx.setPeriodic(KEEP_ALIVE_MS, id -> write(": keep-alive\n\n"));
    }

    void onClose(Runnable action) {
        response.closeHandler(v -> {
            open = false;
            vertx.cancelTimer(timer);
            action.run();
        });
    }

    void send(String event, String json) {
        write("event: " + event + "\ndata: " + json + "\n\n");
    }

    private void write(String text) {
        if (open && !response.closed() && !response.ended()) {
            response.write(text);
        }
    }
}
