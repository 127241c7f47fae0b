package io.meshdesk.routing.state;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/** available: takes new sessions; away: keeps its sessions, gets no new ones; offline: gone. */
public enum AgentStatus {
    @JsonProperty("available")
    AVAILABLE,
    @JsonProperty("away")
    AWAY,
    @JsonProperty("offline")
    OFFLINE;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
