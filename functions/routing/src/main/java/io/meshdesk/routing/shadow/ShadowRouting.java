package io.meshdesk.routing.shadow;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.meshdesk.telemetry.LogFields;
import io.meshdesk.telemetry.ShadowMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Routing in shadow mode (meshdesk.shadow=true, a canary's mirror target): session-route decides
 * with the same rules as ever and commits nothing (SessionDesk.preview), so a mirrored copy of a
 * customer's request never assigns or queues a second time; the other writes are not run at all
 * ({@link ShadowGuard}). What it would have decided goes to {@value #DECISIONS} and to one INFO
 * line, for comparison with the stable revision's decisions
 * (meshdesk_routing_decision_seconds_count by outcome; both carry function and version).
 */
@ApplicationScoped
public class ShadowRouting {

    /**
     * meshdesk_shadow_decisions_total{function, version, outcome} in Prometheus; version
     * (meshdesk.version) names the candidate, so a canary's decision-agreement check can set its
     * decisions beside the stable version's.
     */
    public static final String DECISIONS = "meshdesk.shadow.decisions";

    private static final Logger LOG = Logger.getLogger(ShadowRouting.class);

    private final ShadowMode mode;
    private final MeterRegistry registry;
    private final String function;
    private final String version;

    ShadowRouting(
            ShadowMode mode,
            MeterRegistry registry,
            @ConfigProperty(name = "meshdesk.function") String function,
            @ConfigProperty(name = "meshdesk.version") String version) {
        this.function = function;
        this.version = version;
        this.mode = mode;
        this.registry = registry;
    }

    /** Whether this process is a shadow: session-route then decides without committing. */
    public boolean active() {
        return mode.shadow();
    }

    /** Counts a call refused before a decision (bad input, wrong caller) or not evaluated in shadow mode. */
    public void count(String outcome) {
        Counter.builder(DECISIONS)
                .description(
                        "What a shadow (canary mirror target) would have decided; nothing " + "of it was committed")
                .tag("function", function)
                .tag("version", version)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /**
     * Counts and logs what session-route would have decided: outcome existing, assigned (to
     * agentId) or queued (at queuePosition).
     */
    public void decided(String sessionId, String outcome, String agentId, Integer queuePosition) {
        count(outcome);
        try (LogFields s = LogFields.session(sessionId);
                LogFields a = LogFields.agent(agentId)) {
            LOG.infof(
                    "shadow routing decision (not committed): session %s %s%s%s",
                    sessionId,
                    outcome,
                    agentId != null ? " to agent " + agentId : "",
                    queuePosition != null ? " at queue position " + queuePosition : "");
        }
    }
}
