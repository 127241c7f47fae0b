package io.meshdesk.routing.faces;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;

/**
 * The faces' settings at {@code GET /faces/config.json}; the pages themselves are static
 * resources of the meshdesk-faces jar ({@code META-INF/resources/widget/} and
 * {@code /console/}), which routing serves, so in a cluster they come through the regional
 * ingress on routing's host like its functions.
 */
@ApplicationScoped
public class FacesRoutes {

    void install(
            @Observes Router router,
            FacesConfig config,
            @ConfigProperty(name = "meshdesk.region", defaultValue = "cn-north") String region) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("region", region);
        settings.put("chatUrls", config.chatUrl());
        settings.put("ticketingUrl", config.ticketingUrl());
        settings.put(
                "cannedReplies",
                Arrays.stream(config.cannedReplies().split("\\|"))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList());
        settings.put("heartbeatSeconds", config.heartbeatSeconds());
        // Where the pages get their tokens locally: the development issuer's /token; null in a cluster.
        settings.put("devIssuerUrl", config.devIssuerUrl().orElse(null));
        String json = Json.encode(settings);
        router.get("/faces/config.json")
                .handler(ctx -> ctx.response()
                        .putHeader("content-type", "application/json")
                        .putHeader("cache-control", "no-store")
                        .end(json));
        // A face's address without its slash would break the pages' relative links.
        for (String face : new String[] {"/widget", "/console"}) {
            router.get(face).handler(ctx -> {
                // Vert.x matches "/widget/" here too: only the bare address is sent on.
                if (ctx.request().path().equals(face)) {
                    ctx.redirect(face + "/");
                } else {
                    ctx.next();
                }
            });
        }
    }
}
