package io.meshdesk.routing.session;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A session is always exactly one of these. */
public enum SessionState {
    @JsonProperty("queued")
    QUEUED,
    @JsonProperty("assigned")
    ASSIGNED,
    @JsonProperty("closed")
    CLOSED;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
