package io.meshdesk.routing.faces;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code meshdesk.faces.*}: what the customer widget and the agent console (served by routing
 * at {@code /widget/} and {@code /console/}) need to know to reach the rest of the platform.
 */
@ConfigMapping(prefix = "meshdesk.faces")
public interface FacesConfig {

    /**
     * Where browsers reach chat's WebSocket, without the path; several, comma-separated, are
     * tried in turn when one stops answering (locally: more than one chat instance).
     */
    @WithDefault("ws://127.0.0.1:8082")
    List<String> chatUrl();

    /** Where browsers reach ticketing (the console's ticket view, the widget's rating). */
    @WithDefault("http://127.0.0.1:8083")
    String ticketingUrl();

    /** The console's canned replies, separated by '|'. */
    @WithDefault("Hello! How can I help you today?|Let me check that for you, one moment please.|"
            + "Is there anything else I can help you with?|Thank you for contacting us. Have a nice day!")
    String cannedReplies();

    /**
     * DEVELOPMENT ONLY: where the pages get tokens when there is no identity provider (the
     * development issuer of {@code bin/meshdesk-token serve}, which bin/meshdesk-up starts). Unset
     * in a cluster, where the identity provider signs the pages in.
     */
    Optional<String> devIssuerUrl();

    /** How often the console renews an agent's presence; well under meshdesk.routing.agent-lease-ttl. */
    @WithDefault("5")
    int heartbeatSeconds();
}
