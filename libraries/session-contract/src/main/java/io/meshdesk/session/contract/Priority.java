package io.meshdesk.session.contract;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Queue band: premium customers are served first (the mesh sets it from the verified JWT claim). Written in JSON in lower case. */
public enum Priority {
    @JsonProperty("premium")
    PREMIUM,
    @JsonProperty("standard")
    STANDARD;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
