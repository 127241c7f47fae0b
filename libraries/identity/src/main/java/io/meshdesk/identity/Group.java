package io.meshdesk.identity;

import java.util.Locale;
import java.util.Optional;

/** What a caller may do, as the {@code groups} claim of its token says. */
public enum Group {
    /** A customer: starts sessions, chats in its own, sees and rates its own tickets. */
    CUSTOMER,
    /** An agent: acts only as itself (presence, its sessions, its tenant's tickets). */
    AGENT,
    /** Acts for the agents of its own tenant. */
    SUPERVISOR,
    /** Reads across the whole keyspace (routing-audit). */
    OPS,
    /** Another meshdesk function or the event Broker: sends CloudEvents, closes sessions. */
    SERVICE;

    /** The value in the {@code groups} claim. */
    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Group> fromClaim(String value) {
        for (Group g : values()) {
            if (g.claim().equals(value)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
