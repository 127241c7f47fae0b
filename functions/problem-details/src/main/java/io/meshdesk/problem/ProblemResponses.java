package io.meshdesk.problem;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Router;

/**
 * Answers every failed function call with an RFC 9457 {@code application/problem+json} body.
 *
 * <p>Funqy sets no status codes of its own (a thrown exception becomes a bare 500, a body it
 * cannot parse an empty 400), so one failure handler in front of Quarkus's default one finds
 * the typed {@link Problem} in the cause chain and maps it, for every function at once.
 */
@ApplicationScoped
public class ProblemResponses {

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);
    static final String MEDIA_TYPE = "application/problem+json";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).failureHandler(this::handle);
        router.route().order(Integer.MIN_VALUE + 11).handler(ProblemResponses::refuseEmptyPost);
    }

    /** Funqy fails on a POST without a body with a NullPointerException; say what to send instead. */
    private static void refuseEmptyPost(RoutingContext ctx) {
        var request = ctx.request();
        boolean noBody = "0".equals(request.getHeader("Content-Length"))
                || request.getHeader("Content-Length") == null && request.getHeader("Transfer-Encoding") == null;
        String type = request.getHeader("Content-Type");
        boolean grpc = type != null && type.startsWith("application/grpc");
        if (request.method() == HttpMethod.POST && noBody && !grpc && !request.path().startsWith("/q/")) {
            ctx.fail(new Problem(400, "Invalid request", "the request has no body; send a JSON object "
                    + "({} for a function that takes no input)", null, null));
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
        body.put("instance", ctx.request().path());
        if (problem.field() != null) {
            body.put("field", problem.field());
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
        }
        int status = ctx.statusCode();
        String path = ctx.request().path();
        if (ctx.failure() == null) {
            // Funqy fails without a cause for these; say what it means for the caller.
            switch (status) {
                case 400:
                    return Problem.badRequest("the request body is not valid JSON; send a JSON object");
                case 404:
                    return Problem.notFound("no function answers " + describeTarget(ctx)
                            + "; POST to /<function-name>, or send a CloudEvent whose ce-type is a function name");
                case 405:
                    return new Problem(405, "Method not allowed",
                            ctx.request().method() + " is not supported at " + path + "; use POST", null, null);
                case 406:
                    String type = ctx.request().getHeader("Content-Type");
                    return new Problem(415, "Unsupported media type", (type == null ? "the request has no Content-Type"
                            : "Content-Type '" + type + "' is not supported")
                            + "; send application/json, or a CloudEvent (binary or structured)", null, null);
                default:
                    break;
            }
        }
        LOG.errorf(ctx.failure(), "%s %s failed", ctx.request().method(), path);
        return new Problem(500, "Internal error",
                "the function failed unexpectedly; the function's log has the details", null, ctx.failure());
    }

    private static String describeTarget(RoutingContext ctx) {
        String ceType = ctx.request().getHeader("ce-type");
        return ceType != null ? "CloudEvent type '" + ceType + "'" : "path " + ctx.request().path();
    }
}
