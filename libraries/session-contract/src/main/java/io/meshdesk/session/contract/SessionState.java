package io.meshdesk.session.contract;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A session is always exactly one of these. Written in JSON in lower case. */
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
