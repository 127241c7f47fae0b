package io.meshdesk.session.contract;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the customer reached meshdesk; the channel decides the capacity a session takes. Written in JSON in lower case. */
public enum Channel {
    @JsonProperty("web")
    WEB,
    @JsonProperty("app")
    APP,
    @JsonProperty("miniprogram")
    MINIPROGRAM,
    @JsonProperty("phone")
    PHONE;

    /**
     * The channel of a session or transcript whose JSON names none: the one default, so that no
     * reader guesses its own (ticketing once read a missing channel as "chat" in one place and
     * "web" in another).
     */
    public static final Channel WHEN_MISSING = WEB;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
