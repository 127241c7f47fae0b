package io.meshdesk.routing.live;

import java.time.Clock;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.meshdesk.identity.Caller;
import io.meshdesk.identity.Group;
import io.meshdesk.routing.lifecycle.SessionDesk;
import io.meshdesk.routing.settings.RoutingSettings;
import io.meshdesk.routing.state.RegionView;
import io.meshdesk.session.contract.SessionRecord;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The live-update endpoints, server-sent events on routing's HTTP port (pages read them with
 * fetch, which can send an Authorization header, where EventSource cannot):
 * <ul>
 * <li>{@code GET /live/agent} with an agent's token: events {@code sessions} (the sessions
 * assigned to the agent the token names) and {@code queue} (depth per band, oldest wait);</li>
 * <li>{@code GET /live/session/<sessionId>} with the session's customer's token: event
 * {@code session} (state, queue position, estimated wait, agent).</li>
 * </ul>
 */
@ApplicationScoped
public class LiveRoutes {

    @Produces
    @Singleton
    LiveUpdates liveUpdates(RegionView view, SessionDesk sessions, RoutingSettings settings) {
        return new LiveUpdates(view, sessions, settings, Clock.systemUTC());
    }

    void close(@Disposes LiveUpdates live) {
        live.close();
    }

    void install(@Observes Router router, LiveUpdates live, SessionDesk sessions, Vertx vertx) {
        // BearerAuthentication (meshdesk-identity) runs first on every path and leaves the verified caller.
        router.get("/live/agent").handler(ctx -> {
            Caller caller = ctx.get(Caller.class.getName());
            if (caller == null || !caller.in(Group.AGENT)) {
                refuse(ctx, 403, "/live/agent follows the agent the token names: it needs a token of group agent");
                return;
            }
            live.followAgent(caller.subject(), new SseStream(vertx, ctx.response()));
        });
        router.get("/live/session/:sessionId").handler(ctx -> {
            Caller caller = ctx.get(Caller.class.getName());
            String sessionId = ctx.pathParam("sessionId");
            if (caller == null || !caller.in(Group.CUSTOMER)) {
                refuse(
                        ctx,
                        403,
                        "/live/session follows a session for its customer: it needs a token of group customer");
                return;
            }
            // Reading the session is an etcd call: never on the event loop.
            vertx.<SessionRecord>executeBlocking(() -> sessions.read(sessionId), false)
                    .onComplete(read -> {
                        if (read.failed()) {
                            refuse(
                                    ctx,
                                    503,
                                    "session " + sessionId + " could not be read ("
                                            + read.cause().getMessage() + "); try again");
                        } else if (read.result() == null) {
                            refuse(ctx, 404, "session " + sessionId + " does not exist");
                        } else if (!caller.subject().equals(read.result().customerId())) {
                            refuse(
                                    ctx,
                                    403,
                                    "session " + sessionId + " is not a session of customer " + caller.subject());
                        } else {
                            live.followSession(sessionId, new SseStream(vertx, ctx.response()));
                        }
                    });
        });
    }

    private static void refuse(RoutingContext ctx, int status, String detail) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/problem+json")
                .end(Json.encode(Map.of(
                        "status",
                        status,
                        "title",
                        switch (status) {
                            case 403 -> "Forbidden";
                            case 404 -> "Not Found";
                            default -> "Service Unavailable";
                        },
                        "detail",
                        detail)));
    }
}
