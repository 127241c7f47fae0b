package io.meshdesk.routing.session;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a session ended. */
public enum Outcome {
    @JsonProperty("resolved")
    RESOLVED,
    @JsonProperty("unresolved")
    UNRESOLVED,
    @JsonProperty("abandoned")
    ABANDONED;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
