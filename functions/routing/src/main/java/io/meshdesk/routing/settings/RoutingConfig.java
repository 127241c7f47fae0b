package io.meshdesk.routing.settings;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code meshdesk.routing.*}: the numbers in the routing rules (README, "Routing rules"). */
@ConfigMapping(prefix = "meshdesk.routing")
public interface RoutingConfig {

    /** Capacity units a session of each channel takes; channels not named take 25 (phone: 100). */
    Map<String, Integer> channelCost();

    /** How long a session waits for its busy preferred agent before anyone may take it. */
    @WithDefault("15s")
    Duration preferredAgentWait();

    /** A standard session waiting longer than this is served with the premium band. */
    @WithDefault("60s")
    Duration agingAfter();

    /** TTL of an agent's presence lease; heartbeats must come faster than this. */
    @WithDefault("20s")
    Duration agentLeaseTtl();

    /** How long a closed session stays readable in etcd before its lease removes it. */
    @WithDefault("24h")
    Duration closedRetention();

    /** How often the sweep runs: timeouts (preferred wait, aging) and repairs. */
    @WithDefault("1s")
    Duration sweepInterval();

    /** Bound on retries of one decision after lost races with other instances. */
    @WithDefault("16")
    int maxAttempts();
}
