package io.meshdesk.telemetry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A bad version on demand, for canary tests: {@code meshdesk.fault.error-percent} of the
 * requests (outside /q/) answer 503, and every one waits {@code meshdesk.fault.latency} first.
 * Both default to off, and when off nothing is installed; a function that has them set says
 * so in a warning at start.
 */
@ApplicationScoped
public class FaultInjection {

    private static final Logger LOG = Logger.getLogger(FaultInjection.class);

    @ConfigProperty(name = "meshdesk.fault.error-percent", defaultValue = "0")
    int errorPercent;

    @ConfigProperty(name = "meshdesk.fault.latency", defaultValue = "0s")
    Duration latency;

    void install(@Observes Router router) {
        if (errorPercent <= 0 && latency.isZero()) {
            return;
        }
        LOG.warnf(
                "fault injection is on: %d%% of requests fail with 503, each after %d ms (meshdesk.fault.*)",
                errorPercent, latency.toMillis());
        // Before every other handler, Funqy's and gRPC's included; the timer keeps the event loop free.
        router.route().order(Integer.MIN_VALUE + 5).handler(this::maybeFail);
    }

    private void maybeFail(RoutingContext ctx) {
        if (ctx.normalizedPath().startsWith("/q/")) {
            ctx.next();
            return;
        }
        Runnable decide = () -> {
            if (ThreadLocalRandom.current().nextInt(100) < errorPercent) {
                ctx.response().setStatusCode(503).end("fault injected (meshdesk.fault.error-percent)");
            } else {
                ctx.next();
            }
        };
        if (latency.isZero()) {
            decide.run();
        } else {
            ctx.vertx().setTimer(latency.toMillis(), id -> decide.run());
        }
    }
}
