package io.meshdesk.ticketing.ticket;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How urgent a ticket is; the priority decides its SLA. */
public enum TicketPriority {
    @JsonProperty("low")
    LOW,
    @JsonProperty("normal")
    NORMAL,
    @JsonProperty("high")
    HIGH,
    @JsonProperty("urgent")
    URGENT;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TicketPriority parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
