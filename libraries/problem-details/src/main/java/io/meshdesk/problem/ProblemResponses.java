package io.meshdesk.problem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.meshdesk.etcd.EtcdUnavailableException;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers every failed call with an RFC 9457 {@code application/problem+json} body.
 *
 * <p>Funqy sets no status codes of its own (a thrown exception becomes a bare 500, a body it
 * cannot parse an empty 400), so one failure handler in front of Quarkus's default one finds
 * the typed {@link Problem} (or etcd's {@link EtcdUnavailableException}, a 503) in the cause
 * chain and maps it, for every function at once. In a
 * Funqy app, {@link RequestGate} refuses what Funqy would fail on before it is called; paths no
 * route serves answer a problem too, not Vert.x's HTML page.
 */
@ApplicationScoped
public class ProblemResponses {

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);
    static final String MEDIA_TYPE = "application/problem+json";
    static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).failureHandler(this::handle);
        if (funqyPresent()) {
            // Before Quarkus's body handler (MIN_VALUE + 1): a body that trickles in is cut there.
            Duration bodyTimeout = ConfigProvider.getConfig()
                    .getOptionalValue("meshdesk.http.body-timeout", Duration.class)
                    .orElse(DEFAULT_BODY_TIMEOUT);
            router.route().order(Integer.MIN_VALUE).handler(ctx -> bodyDeadline(ctx, bodyTimeout));
            List<String> getPaths = ConfigProvider.getConfig()
                    .getOptionalValues("meshdesk.http.get-paths", String.class)
                    .orElse(List.of());
            router.route().order(Integer.MIN_VALUE + 11).handler(ctx -> gate(ctx, getPaths));
        }
        // Vert.x answers these itself, in HTML, when no route matches the path or the method.
        for (int status : new int[] {404, 405, 413}) {
            router.errorHandler(status, this::handle);
        }
    }

    /** The gate is for Funqy's function paths; an app without Funqy (chat) serves other things. */
    private static boolean funqyPresent() {
        try {
            Class.forName("io.quarkus.funqy.Funq", false, ProblemResponses.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * A request whose body has not fully arrived within the timeout is answered 408 and its
     * connection closed: a client that trickles a body would otherwise hold a connection (and
     * its buffer) as long as it likes. The idle timeout only cuts a client that sends nothing.
     */
    private static void bodyDeadline(RoutingContext ctx, Duration timeout) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded() || request.path().startsWith("/q/")) {
            ctx.next();
            return;
        }
        long timer = ctx.vertx().setTimer(timeout.toMillis(), id -> {
            if (!request.isEnded() && !ctx.response().ended() && !ctx.response().headWritten()) {
                LOG.debugf(
                        "%s %s: the body did not arrive within %d ms; closing the connection",
                        request.method(), request.path(), timeout.toMillis());
                ctx.response()
                        .setStatusCode(408)
                        .putHeader("Content-Type", MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end(Json.encode(Map.of(
                                "type",
                                "about:blank",
                                "title",
                                "Request timeout",
                                "status",
                                408,
                                "detail",
                                "the request body did not arrive within " + timeout.toSeconds() + " s; send it at once",
                                "instance",
                                RequestGate.clip(request.path()))))
                        .onComplete(done -> request.connection().close());
            }
        });
        ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
        ctx.next();
    }

    private static void gate(RoutingContext ctx, List<String> getPaths) {
        if (ctx.request().path().startsWith("/q/")) {
            ctx.next();
            return;
        }
        Problem problem = RequestGate.check(ctx, getPaths);
        if (problem != null) {
            ctx.fail(problem);
            return;
        }
        ctx.next();
    }

    void handle(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        Problem problem = toProblem(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        body.put(
                "instance",
                RequestGate.clip(
                        ctx.request().path() == null ? "" : ctx.request().path()));
        if (problem.field() != null) {
            body.put("field", problem.field());
        }
        if (problem.status() == 405) {
            ctx.response().putHeader("Allow", "POST");
        }
        ctx.response()
                .setStatusCode(problem.status())
                .putHeader("Content-Type", MEDIA_TYPE)
                .end(Json.encode(body));
    }

    private Problem toProblem(RoutingContext ctx) {
        for (Throwable t = ctx.failure(); t != null; t = t.getCause()) {
            if (t instanceof Problem problem) {
                if (problem.status() >= 500) {
                    LOG.warnf("%s %s: %s", ctx.request().method(), ctx.request().path(), problem.detail());
                }
                return problem;
            }
            if (t instanceof EtcdUnavailableException etcd) {
                LOG.warnf("%s %s: %s", ctx.request().method(), ctx.request().path(), etcd.getMessage());
                return Problem.unavailable(etcd.getMessage(), etcd);
            }
            if (t instanceof JsonProcessingException json) {
                return Problem.badRequest("the request body cannot be read as this function's input: "
                        + RequestGate.clip(json.getOriginalMessage()));
            }
            // Vert.x throws this when asked for the request's authority; the gate may not have run yet.
            if (t instanceof VertxException && String.valueOf(t.getMessage()).contains("'Host' header is required")) {
                return Problem.invalid("Host", "the request has no Host header, which HTTP/1.1 requires; send one");
            }
        }
        int status = ctx.statusCode();
        String path = ctx.request().path();
        if (ctx.failure() == null) {
            // Funqy and Vert.x fail without a cause for these; say what it means for the caller.
            switch (status) {
                case 400:
                    return Problem.badRequest("the request body is not valid input for this function; send a JSON "
                            + "object with the fields the README lists");
                case 404:
                    return Problem.notFound("no function answers " + describeTarget(ctx)
                            + "; POST to /<function-name> (names are lower case), or send a CloudEvent whose ce-type "
                            + "is a function name");
                case 405:
                    if (ctx.request().method() == HttpMethod.POST) {
                        // Only a page's GET route matched the path: for a POST no function is there.
                        return Problem.notFound("no function answers " + describeTarget(ctx)
                                + "; POST to /<function-name> (names are lower case), or send a CloudEvent whose "
                                + "ce-type is a function name");
                    }
                    return Problem.methodNotAllowed(
                            ctx.request().method() + " is not supported at " + path + "; use POST");
                case 406:
                case 415:
                    String type = ctx.request().getHeader("Content-Type");
                    return Problem.unsupportedMediaType((type == null
                                    ? "the request has no Content-Type"
                                    : "Content-Type '" + RequestGate.clip(type) + "' is not supported")
                            + "; send application/json, or a CloudEvent (binary or structured)");
                case 413:
                    return Problem.tooLarge("the request body is larger than this function accepts ("
                            + ConfigProvider.getConfig()
                                    .getOptionalValue("quarkus.http.limits.max-body-size", String.class)
                                    .orElse("10240K")
                            + "); send less");
                default:
                    if (status >= 400 && status < 500) {
                        return Problem.ofStatus(
                                status, "Request refused", "the request was refused with status " + status);
                    }
                    break;
            }
        }
        LOG.errorf(ctx.failure(), "%s %s failed", ctx.request().method(), path);
        return new Problem(
                500,
                "Internal error",
                "the function failed unexpectedly; the function's log has the details",
                null,
                ctx.failure());
    }

    private static String describeTarget(RoutingContext ctx) {
        String ceType = ctx.request().getHeader("ce-type");
        return ceType != null
                ? "CloudEvent type '" + RequestGate.clip(ceType) + "'"
                : "path " + RequestGate.clip(ctx.request().path());
    }
}
