package io.meshdesk.ticketing.ticket;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The ticket status machine: new → open → pending ⇄ open; open/pending → resolved → closed;
 * resolved → open (a reopen, within the configured days); closed is final.
 */
public enum TicketStatus {
    @JsonProperty("new")
    NEW,
    @JsonProperty("open")
    OPEN,
    @JsonProperty("pending")
    PENDING,
    @JsonProperty("resolved")
    RESOLVED,
    @JsonProperty("closed")
    CLOSED;

    /** Where a ticket in this status may go next. */
    public Set<TicketStatus> next() {
        return switch (this) {
            case NEW -> EnumSet.of(OPEN);
            case OPEN -> EnumSet.of(PENDING, RESOLVED);
            case PENDING -> EnumSet.of(OPEN, RESOLVED);
            case RESOLVED -> EnumSet.of(CLOSED, OPEN);
            case CLOSED -> EnumSet.noneOf(TicketStatus.class);
        };
    }

    public boolean isOpen() {
        return this == NEW || this == OPEN || this == PENDING;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TicketStatus parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
