package io.meshdesk.routing.shadow;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * In shadow mode the writing functions other than session-route (which {@link ShadowRouting}
 * decides without committing) are not run at all: a mirrored agent registration, heartbeat,
 * status change or close would change the stable revision's agents and sessions. They answer
 * 202 with {@code {"shadow": true, "committed": false, "function": ...}} (not a 5xx: a mirror's
 * answers are dropped, and an error would read as a failing candidate) and count as outcome
 * {@code not-evaluated}. Reads run as usual.
 */
@ApplicationScoped
public class ShadowGuard {

    /** The functions that write to etcd apart from session-route. */
    static final Set<String> WRITES = Set.of("agent-register", "agent-heartbeat", "agent-status", "session-close");

    private static final Logger LOG = Logger.getLogger(ShadowGuard.class);

    void install(@Observes Router router, ShadowRouting shadow) {
        if (!shadow.active()) {
            return;
        }
        // After bearer authentication (MIN_VALUE + 5: a bad token is still 401) and the request gate,
        // before Funqy's routes, so a writing function never runs.
        router.route().order(Integer.MIN_VALUE + 20).handler(ctx -> {
            String function = writingFunction(ctx);
            if (function == null) {
                ctx.next();
                return;
            }
            shadow.count("not-evaluated");
            LOG.infof(
                    "shadow mode: %s not evaluated and nothing committed (only session-route has a shadow decision)",
                    function);
            ctx.response()
                    .setStatusCode(202)
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject()
                            .put("shadow", true)
                            .put("committed", false)
                            .put("function", function)
                            .encode());
        });
    }

    /** The writing function a request calls, by path or, for a CloudEvent to "/", by its ce-type; else null. */
    private static String writingFunction(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST) {
            return null;
        }
        String path = ctx.normalizedPath();
        String name = "/".equals(path) ? ctx.request().getHeader("ce-type") : path.substring(1);
        return name != null && WRITES.contains(name) ? name : null;
    }
}
