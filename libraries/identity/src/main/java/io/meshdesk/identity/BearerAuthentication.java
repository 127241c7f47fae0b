package io.meshdesk.identity;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Verifies {@code Authorization: Bearer <jwt>} on every request to a function, before the
 * function (or its body) is looked at, with the standard MicroProfile JWT configuration
 * ({@code mp.jwt.verify.publickey.location}, {@code mp.jwt.verify.issuer}). One route handler for
 * every path means a function cannot forget to check; the function then asks {@link Identity}
 * who the caller is and applies its own rules (403).
 *
 * <p>Open: {@code /q/} (health and metrics, which probes and Prometheus read without a token),
 * CORS preflights, gRPC and WebSocket upgrades (such a service checks its own credentials: chat
 * its session tokens) and the prefixes in {@code meshdesk.identity.public-paths} (static pages of
 * the faces).
 *
 * <p>A CloudEvent (binary or structured) must also carry a token whose audience names this
 * function ({@code meshdesk.identity.audience}), as Knative Eventing's OIDC sender identity
 * gives one: a token minted for another function cannot be replayed here.
 */
@ApplicationScoped
public class BearerAuthentication {

    private static final Logger LOG = Logger.getLogger(BearerAuthentication.class);
    static final String CALLER = Caller.class.getName();

    private final JWTParser parser;
    private final TokenVerdicts verdicts;
    private final String audience;
    private final List<String> publicPaths;
    private final Vertx vertx;

    BearerAuthentication(
            JWTParser parser,
            Vertx vertx,
            @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> keys,
            @ConfigProperty(name = "meshdesk.identity.audience") String audience,
            @ConfigProperty(name = "meshdesk.identity.public-paths") Optional<List<String>> publicPaths) {
        this.parser = parser;
        this.vertx = vertx;
        this.verdicts = new TokenVerdicts(issuer.orElse(null), keys.orElse("(mp.jwt.verify.publickey.location unset)"));
        this.audience = audience;
        this.publicPaths = publicPaths.orElse(List.of());
        if (issuer.isEmpty() || keys.isEmpty()) {
            LOG.warn("mp.jwt.verify.issuer or mp.jwt.verify.publickey.location is not set: every call will be refused "
                    + "with 401 until they name the identity provider (locally: bin/meshdesk-up sets up the "
                    + "development issuer)");
        }
    }

    /** Before everything but the failure handler: a caller that is not known learns nothing else. */
    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 5).handler(this::authenticate);
    }

    void authenticate(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (open(request)) {
            ctx.next();
            return;
        }
        String header = request.getHeader("Authorization");
        if (header == null
                || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                || header.substring(7).isBlank()) {
            fail(
                    ctx,
                    AuthProblem.unauthenticated((header == null
                                    ? "the request has no Authorization header"
                                    : "the Authorization header is not 'Bearer <token>'")
                            + "; send 'Authorization: Bearer <jwt>' with a token from your identity provider "
                            + "(locally: bin/meshdesk-token)"));
            return;
        }
        String token = header.substring(7).trim();
        boolean event = isCloudEvent(request);
        // Verifying may fetch keys (a JWKS URL): never on the event loop.
        vertx.<Caller>executeBlocking(() -> verify(token, event), false).onComplete(result -> {
            if (result.succeeded()) {
                ctx.put(CALLER, result.result());
                ctx.next();
            } else {
                fail(ctx, result.cause());
            }
        });
    }

    private Caller verify(String token, boolean event) {
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            throw verdicts.explain(e, token);
        }
        if (event && (jwt.getAudience() == null || !jwt.getAudience().contains(audience))) {
            throw AuthProblem.unauthenticated("a CloudEvent needs a sender token for audience '" + audience
                    + "'; this one is for " + (jwt.getAudience() == null ? "no audience" : jwt.getAudience()));
        }
        return Claims.caller(jwt);
    }

    private static void fail(RoutingContext ctx, Throwable problem) {
        if (problem instanceof AuthProblem p && p.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"meshdesk\"");
        }
        ctx.fail(problem);
    }

    private boolean open(HttpServerRequest request) {
        String path = request.path();
        String type = request.getHeader("Content-Type");
        return path.startsWith("/q/")
                || request.method() == HttpMethod.OPTIONS
                || type != null && type.startsWith("application/grpc")
                || "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
                || publicPaths.stream().anyMatch(path::startsWith);
    }

    static boolean isCloudEvent(HttpServerRequest request) {
        String type = request.getHeader("Content-Type");
        return request.getHeader("ce-id") != null
                || request.getHeader("ce-specversion") != null
                || type != null && type.startsWith("application/cloudevents");
    }
}
