package io.meshdesk.ticketing;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code meshdesk.ticketing.*}: SLA targets per priority and the reopen window. */
@ConfigMapping(prefix = "meshdesk.ticketing")
public interface TicketingConfig {

    /** Per priority (low, normal, high, urgent): first-response and resolution targets. */
    Map<String, Targets> sla();

    /** A resolved ticket may be reopened for this many days. */
    @WithDefault("7")
    int reopenDays();

    /** How often the SLA check runs (the timer reads it as meshdesk.ticketing.sla-check-interval). */
    @WithDefault("30s")
    Duration slaCheckInterval();

    interface Targets {
        Duration firstResponse();

        Duration resolution();
    }
}
