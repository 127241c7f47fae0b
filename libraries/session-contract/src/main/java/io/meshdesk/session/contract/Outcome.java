package io.meshdesk.session.contract;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a session ended. Written in JSON in lower case. */
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
