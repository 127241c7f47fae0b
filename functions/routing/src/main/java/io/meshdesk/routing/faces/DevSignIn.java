package io.meshdesk.routing.faces;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.meshdesk.identity.Group;
import io.meshdesk.identity.dev.DevIssuer;
import io.meshdesk.identity.dev.TokenSpec;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * FOR LOCAL DEVELOPMENT ONLY, off unless {@code meshdesk.faces.dev-sign-in=true} (bin/meshdesk-up
 * turns it on): {@code POST /faces/dev-token {"role": "agent"|"customer", "subject": "a-1"}}
 * answers a token of the development issuer, so that the console signs in with an agent id and
 * the widget gets a customer token without an identity provider. A customer token never says
 * premium: the tier comes from a real identity, not from what a page asks for. In a cluster the
 * pages sign in through the identity provider and this endpoint does not exist.
 */
@ApplicationScoped
public class DevSignIn {

    private static final Logger LOG = Logger.getLogger(DevSignIn.class);
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Duration TTL = Duration.ofHours(8);

    private final boolean enabled;
    private final String issuer;
    private final String keys;
    private volatile DevIssuer dev;

    DevSignIn(@ConfigProperty(name = "meshdesk.faces.dev-sign-in", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") String keys) {
        this.enabled = enabled;
        this.issuer = issuer;
        this.keys = keys;
    }

    /** The keys exist before the first call that needs them (the functions verify with jwks.json beside them). */
    void start(@Observes StartupEvent boot) {
        if (enabled) {
            dev = DevIssuer.inDirectory(Path.of(keys).toAbsolutePath().getParent(), issuer);
            LOG.warnf("development sign-in is ON at /faces/dev-token (issuer %s, keys beside %s): local use only",
                    issuer, keys);
        }
    }

    void install(@Observes Router router, Vertx vertx) {
        if (!enabled) {
            return;
        }
        router.post("/faces/dev-token").handler(BodyHandler.create().setBodyLimit(4096)).handler(this::token);
    }

    private void token(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            refuse(ctx, "the body is not JSON: send {\"role\": \"agent\" or \"customer\", \"subject\": \"<id>\"}");
            return;
        }
        String role = body == null ? null : body.getString("role");
        String subject = body == null ? null : body.getString("subject");
        if (!"agent".equals(role) && !"customer".equals(role)) {
            refuse(ctx, "role is '" + role + "'; it must be agent or customer");
            return;
        }
        if (subject == null || !SUBJECT.matcher(subject).matches()) {
            refuse(ctx, "subject must be 1-64 letters, digits, '.', '_' or '-'");
            return;
        }
        Group group = "agent".equals(role) ? Group.AGENT : Group.CUSTOMER;
        TokenSpec spec = TokenSpec.of(subject, group).withTtl(TTL);
        String token = dev.sign(group == Group.CUSTOMER ? spec.withTier("standard") : spec);
        ctx.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
                .end(Json.encode(Map.of("token", token, "subject", subject, "groups", new String[] {group.claim()},
                        "expiresInSeconds", TTL.toSeconds())));
    }

    private static void refuse(RoutingContext ctx, String detail) {
        ctx.response().setStatusCode(400).putHeader("content-type", "application/problem+json")
                .end(Json.encode(Map.of("status", 400, "title", "Bad Request", "detail", detail)));
    }
}
