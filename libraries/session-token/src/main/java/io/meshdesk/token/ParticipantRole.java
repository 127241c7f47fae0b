package io.meshdesk.token;

import java.util.Locale;

/** Who a participant of a session is. */
public enum ParticipantRole {
    CUSTOMER,
    AGENT;

    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }
}
