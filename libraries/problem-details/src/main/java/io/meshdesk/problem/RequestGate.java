package io.meshdesk.problem;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks every call to a Funqy function before Funqy sees it, so that input Funqy would fail on
 * with a bare 500 (or an empty 400) is refused as a problem that names what is wrong: the
 * framing (Host, Content-Length with Transfer-Encoding), the method, the media type, the
 * CloudEvent attributes and the body ({@link JsonBodies}).
 *
 * <p>Funqy's own rules, read from its request handler: a {@code ce-id} header makes a binary
 * CloudEvent (without it the call is a plain one, so a CloudEvent missing its id would be
 * answered "no function"), {@code application/cloudevents+json} is a structured event that
 * Funqy routes by its {@code type} whatever the path, and a structured event needs
 * {@code datacontenttype} to hand its data to a function.
 */
final class RequestGate {

    /** Longest CloudEvent id, source and type accepted: ticketing keys processed events by id. */
    static final int MAX_ATTRIBUTE_LENGTH = 256;

    private static final Set<String> REQUIRED_HEADERS = Set.of("ce-id", "ce-source", "ce-type", "ce-specversion");

    private RequestGate() {}

    /** True when {@code path} is one of the prefixes that GET handlers other than Funqy serve. */
    static boolean servedByGet(String path, List<String> getPaths) {
        return path != null && getPaths.stream().anyMatch(path::startsWith);
    }

    /** Returns the problem with this request, or null when Funqy may have it. */
    static Problem check(RoutingContext ctx, List<String> getPaths) {
        HttpServerRequest request = ctx.request();
        if (request.version() != HttpVersion.HTTP_2
                && blank(request.getHeader("Host"))
                && request.version() == HttpVersion.HTTP_1_1) {
            return Problem.invalid("Host", "the request has no Host header, which HTTP/1.1 requires; send one");
        }
        // Netty drops Content-Length when Transfer-Encoding is present (RFC 9112 6.3), so this is
        // a guard for a server that would not: two readers must never see two bodies.
        if (request.getHeader("Content-Length") != null && request.getHeader("Transfer-Encoding") != null) {
            return Problem.invalid(
                    "Transfer-Encoding",
                    "the request has both Content-Length and "
                            + "Transfer-Encoding, which would let two servers read different bodies; send only one");
        }
        // A CORS preflight is the CORS handler's to answer (Quarkus's, when enabled); Funqy fails it 405.
        // Pages and event streams (meshdesk.http.get-paths) are other handlers' GETs.
        if ((request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)
                && servedByGet(request.path(), getPaths)) {
            return null;
        }
        if (request.method() != HttpMethod.POST && request.method() != HttpMethod.OPTIONS) {
            return Problem.methodNotAllowed(request.method() + " is not supported at " + request.path()
                    + "; call a function with POST and a JSON body");
        }
        if (request.method() == HttpMethod.OPTIONS) {
            return null;
        }
        String mediaType = mediaType(request.getHeader("Content-Type"));
        boolean root = "/".equals(request.path());
        if ("application/cloudevents+json".equals(mediaType)) {
            if (!root) {
                return Problem.unsupportedMediaType("a structured CloudEvent (application/cloudevents+json) goes to /, "
                        + "not to " + request.path() + "; send its data there as application/json instead");
            }
        } else if (mediaType != null && !"application/json".equals(mediaType)) {
            return Problem.unsupportedMediaType("Content-Type '" + clip(request.getHeader("Content-Type"))
                    + "' is not supported; send application/json, or a CloudEvent (binary or structured)");
        }
        Problem binary = checkBinaryEvent(request);
        if (binary != null) {
            return binary;
        }
        if (root && !"application/cloudevents+json".equals(mediaType) && request.getHeader("ce-id") == null) {
            return Problem.notFound("no function answers path /; POST to /<function-name>, or send a CloudEvent "
                    + "whose ce-type is a function name");
        }
        if (ctx.body() == null || !ctx.body().available()) {
            return null; // no body handler in this app: the function reads the body itself
        }
        if (ctx.body().buffer() == null || ctx.body().length() == 0) {
            return Problem.badRequest(
                    "the request has no body; send a JSON object ({} for a function that takes " + "no input)");
        }
        JsonBodies.Parsed parsed = JsonBodies.parse(ctx.body().buffer().getBytes());
        if (parsed.problem() != null) {
            return parsed.problem();
        }
        if ("application/cloudevents+json".equals(mediaType)) {
            return checkStructuredEvent(parsed.json());
        }
        if (!parsed.json().isObject()) {
            return Problem.badRequest("the request body must be a JSON object, not "
                    + parsed.json().getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return null;
    }

    private static Problem checkBinaryEvent(HttpServerRequest request) {
        boolean anyCe = request.headers().names().stream()
                .anyMatch(n -> n.toLowerCase(Locale.ROOT).startsWith("ce-"));
        if (!anyCe) {
            return null;
        }
        for (String header : new String[] {"ce-specversion", "ce-id", "ce-source", "ce-type"}) {
            Problem p = attribute(header, request.getHeader(header), "header");
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static Problem checkStructuredEvent(JsonNode event) {
        if (!event.isObject()) {
            return Problem.badRequest("a structured CloudEvent must be a JSON object");
        }
        for (String name : new String[] {"specversion", "id", "source", "type"}) {
            JsonNode value = event.get(name);
            if (value != null && !value.isTextual()) {
                return Problem.invalid(name, "attribute '" + name + "' of the CloudEvent must be a string");
            }
            Problem p = attribute(name, value == null ? null : value.asText(), "attribute");
            if (p != null) {
                return p;
            }
        }
        JsonNode contentType = event.get("datacontenttype");
        if (contentType == null || !"application/json".equals(mediaType(contentType.asText()))) {
            return Problem.invalid(
                    "datacontenttype", "attribute 'datacontenttype' of the CloudEvent must be " + "application/json");
        }
        JsonNode data = event.get("data");
        if (data == null || !data.isObject()) {
            return Problem.invalid(
                    "data",
                    "the CloudEvent has no 'data' object; put the function's input there "
                            + "({} for a function that takes no input)");
        }
        return null;
    }

    /** A CloudEvent attribute (a ce- header or a structured event's member): present, 1.0, bounded. */
    private static Problem attribute(String name, String value, String kind) {
        if (blank(value)) {
            return Problem.invalid(
                    name,
                    "the CloudEvent has no " + kind + " '" + name + "'; a CloudEvent needs "
                            + (kind.equals("header")
                                    ? String.join(
                                            ", ",
                                            REQUIRED_HEADERS.stream().sorted().toList())
                                    : "specversion, id, source and type"));
        }
        if (name.endsWith("specversion") && !"1.0".equals(value.trim())) {
            return Problem.invalid(name, "CloudEvents spec version '" + clip(value) + "' is not supported; send 1.0");
        }
        if (value.length() > MAX_ATTRIBUTE_LENGTH) {
            return Problem.invalid(
                    name,
                    kind + " '" + name + "' is " + value.length() + " characters; at most " + MAX_ATTRIBUTE_LENGTH);
        }
        return null;
    }

    /** The media type without parameters, lower case; null when absent. */
    private static String mediaType(String contentType) {
        if (blank(contentType)) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Enough of a client's value to recognise it, never all of a huge one. */
    static String clip(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }
}
