package io.meshdesk.ticketing.ticket;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who wrote a comment. */
public enum AuthorRole {
    @JsonProperty("customer")
    CUSTOMER,
    @JsonProperty("agent")
    AGENT;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AuthorRole parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
