package io.meshdesk.identity.dev;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.meshdesk.identity.Group;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/meshdesk-token serve}: the DEVELOPMENT issuer over HTTP on loopback, for the browser
 * faces and tools that cannot run the command line. It hands a token to anyone who asks, which
 * is exactly why it is for a developer's machine only.
 *
 * <ul>
 * <li>{@code GET /.well-known/openid-configuration}: issuer and jwks_uri, as a real provider's</li>
 * <li>{@code GET /.well-known/jwks.json}: the public keys (what the functions verify with)</li>
 * <li>{@code POST /token} {@code {"sub":"c-1","group":"customer","tier":"premium","tenant":..,"aud":..}}:
 * {@code {"access_token":..,"token_type":"Bearer","expires_in":..}}</li>
 * </ul>
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serves the development issuer on 127.0.0.1 (JWKS and a token endpoint). Development only.")
final class IssuerServer implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TTL = Duration.ofHours(8);

    @Option(names = "--port", defaultValue = "8089", description = "default 8089")
    int port;

    @Option(names = "--data-dir", description = "default: $MESHDESK_DATA_DIR or ~/.meshdesk")
    Path dataDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        DevIssuer issuer = TokenCommand.issuer(dataDir);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        String base = "http://127.0.0.1:" + port;
        server.createContext(
                "/.well-known/openid-configuration",
                ex -> answer(
                        ex,
                        200,
                        Map.of(
                                "issuer",
                                issuer.issuer(),
                                "jwks_uri",
                                base + "/.well-known/jwks.json",
                                "token_endpoint",
                                base + "/token")));
        server.createContext("/.well-known/jwks.json", ex -> answer(ex, 200, JSON.readTree(issuer.publicKeys())));
        server.createContext("/token", ex -> token(ex, issuer));
        server.start();
        System.out.println("development issuer " + issuer.issuer() + " at " + base + " (keys: "
                + TokenCommand.keysDirectory(dataDir) + "); FOR DEVELOPMENT ONLY");
        // Serves until the process is stopped (bin/meshdesk-up stops it with the rest).
        new CountDownLatch(1).await();
        return 0;
    }

    private static void token(HttpExchange ex, DevIssuer issuer) throws IOException {
        if ("OPTIONS".equals(ex.getRequestMethod())) {
            answer(ex, 204, null);
            return;
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            answer(ex, 405, Map.of("error", "POST a JSON object {\"sub\":..,\"group\":..}"));
            return;
        }
        JsonNode in;
        try {
            in = JSON.readTree(ex.getRequestBody());
        } catch (IOException e) {
            answer(ex, 400, Map.of("error", "the body is not JSON"));
            return;
        }
        Set<Group> groups = EnumSet.noneOf(Group.class);
        String named = in.path("group").asText("");
        Group.fromClaim(named).ifPresent(groups::add);
        if (groups.isEmpty() || in.path("sub").asText("").isBlank()) {
            answer(ex, 400, Map.of("error", "give 'sub' and 'group' (customer, agent, supervisor, ops or service)"));
            return;
        }
        Group group = groups.iterator().next();
        TokenSpec spec = TokenSpec.of(in.get("sub").asText(), group)
                .withTtl(TTL)
                .withTier(text(in, "tier", group == Group.CUSTOMER ? "standard" : null))
                .withTenant(text(in, "tenant", null))
                .withResidency(text(in, "residency", null));
        if (in.hasNonNull("aud")) {
            spec = spec.withAudience(in.get("aud").asText());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", issuer.sign(spec));
        out.put("token_type", "Bearer");
        out.put("expires_in", TTL.toSeconds());
        answer(ex, 200, out);
    }

    private static String text(JsonNode in, String field, String fallback) {
        return in.hasNonNull(field) && !in.get(field).asText().isBlank()
                ? in.get(field).asText()
                : fallback;
    }

    private static void answer(HttpExchange ex, int status, Object body) throws IOException {
        // The faces are served from the functions' origins; a development issuer lets them all in.
        ex.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
        ex.getResponseHeaders().add("Access-Control-Allow-Headers", "content-type");
        ex.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        byte[] bytes =
                body == null ? new byte[0] : JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body == null ? -1 : bytes.length);
        if (body != null) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }
}
