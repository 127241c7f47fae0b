package io.meshdesk.reliability;

import java.net.URI;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.identity.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/** What must hold after every fault, read back through the functions themselves. */
final class Audits {

    private Audits() {}

    /**
     * routing-audit finds no violation (no session assigned twice, no load over capacity, every
     * session queued, assigned or closed exactly once) and every session a client was told about
     * exists. Returns the audit.
     */
    static JsonNode routingHolds(URI routing, Set<String> acknowledged) {
        Http.Answer audit = Http.post(routing, "routing-audit", TestTokens.ops(), Map.of());
        assertThat(audit.status()).as("routing-audit: %s", audit.json()).isEqualTo(200);
        assertThat(audit.json().path("violations")).as("violations").isEmpty();
        for (String id : acknowledged) {
            Http.Answer s =
                    Http.post(routing, "session-get", TestTokens.service("chat", "routing"), Map.of("sessionId", id));
            assertThat(s.status())
                    .as("session %s, acknowledged to its client: %s", id, s.json())
                    .isEqualTo(200);
            assertThat(s.json().path("state").asText()).as("state of %s", id).isIn("queued", "assigned");
        }
        return audit.json();
    }
}
