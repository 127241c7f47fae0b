package io.meshdesk.routing.live;

import java.time.Clock;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.meshdesk.routing.RoutingInstance;
import io.meshdesk.token.ParticipantRole;
import io.meshdesk.token.SessionClaims;
import io.meshdesk.token.SessionTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The live-update endpoints, server-sent events on routing's HTTP port (pages read them with
 * fetch, which can send an Authorization header, where EventSource cannot):
 * <ul>
 * <li>{@code GET /live/agent}: events {@code sessions} (the agent's assigned sessions) and
 * {@code queue} (depth per band, oldest wait);</li>
 * <li>{@code GET /live/session} with the customer's session token as {@code Authorization:
 * Bearer}: event {@code session} (state, queue position, estimated wait, agent).</li>
 * </ul>
 */
@ApplicationScoped
public class LiveRoutes {

    /** The caller's identity as the other routing functions read it (see SessionFunctions). */
    static final String PARTICIPANT_HEADER = "x-participant-id";

    @Produces
    @Singleton
    LiveUpdates liveUpdates(RoutingInstance routing) {
        return new LiveUpdates(routing, Clock.systemUTC());
    }

    void close(@Disposes LiveUpdates live) {
        live.close();
    }

    void install(@Observes Router router, LiveUpdates live, RoutingInstance routing, Vertx vertx) {
        router.get("/live/agent").handler(ctx -> {
            String agentId = ctx.request().getHeader(PARTICIPANT_HEADER);
            if (agentId == null || agentId.isBlank()) {
                refuse(ctx, 401, "no caller: send the agent's identity (" + PARTICIPANT_HEADER + ")");
                return;
            }
            live.followAgent(agentId.trim(), new SseStream(vertx, ctx.response()));
        });
        router.get("/live/session").handler(ctx -> {
            SessionClaims claims;
            try {
                claims = routing.chatAccess().verify(bearer(ctx.request()));
            } catch (SessionTokens.InvalidToken e) {
                refuse(ctx, e.expired() ? 403 : 401, e.getMessage());
                return;
            } catch (IllegalArgumentException e) {
                refuse(ctx, 401, e.getMessage());
                return;
            }
            if (claims.role() != ParticipantRole.CUSTOMER) {
                refuse(ctx, 403, "only the customer of session " + claims.sessionId() + " follows it here; agents "
                        + "follow their sessions at /live/agent");
                return;
            }
            live.followSession(claims.sessionId(), new SseStream(vertx, ctx.response()));
        });
    }

    private static String bearer(HttpServerRequest request) {
        String header = request.getHeader("authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new IllegalArgumentException("no session token: send 'Authorization: Bearer <customerToken>' "
                    + "with the token session-route answered");
        }
        return header.substring(7).trim();
    }

    private static void refuse(RoutingContext ctx, int status, String detail) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/problem+json")
                .end(Json.encode(Map.of("status", status, "title",
                        status == 401 ? "Unauthorized" : "Forbidden", "detail", detail)));
    }
}
