package io.meshdesk.routing.session;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the customer reached meshdesk; the channel decides the capacity a session takes. */
public enum Channel {
    @JsonProperty("web")
    WEB,
    @JsonProperty("app")
    APP,
    @JsonProperty("miniprogram")
    MINIPROGRAM,
    @JsonProperty("phone")
    PHONE;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
