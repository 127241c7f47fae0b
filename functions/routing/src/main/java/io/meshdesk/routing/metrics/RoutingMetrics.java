package io.meshdesk.routing.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.meshdesk.routing.state.AgentStatus;
import io.meshdesk.session.contract.Channel;
import io.meshdesk.session.contract.Outcome;
import io.meshdesk.session.contract.Priority;
import io.meshdesk.session.contract.SessionRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Routing's service level indicators. The names are a contract (dashboards, alerts and canary
 * analysis query them), so they are spelled here and nowhere else; Micrometer adds the
 * {@code _seconds}, {@code _total} and {@code _bucket} endings in the Prometheus output.
 */
public final class RoutingMetrics {

    public static final String DECISION = "meshdesk.routing.decision";
    public static final String QUEUE_WAIT = "meshdesk.queue.wait";
    public static final String QUEUE_DEPTH = "meshdesk.queue.depth";
    public static final String AGENTS = "meshdesk.agents";
    public static final String CHANNEL_REQUESTS = "meshdesk.channel.requests";
    public static final String SESSIONS_CLOSED = "meshdesk.sessions.closed";
    /** Assignment transactions that lost a race to another decision and were tried again: contention. */
    public static final String ASSIGNMENT_CONFLICTS = "meshdesk.routing.assignment.conflicts";
    /** Capacity units of the agents present: {@code state} used or total; their ratio is agent load. */
    public static final String AGENT_CAPACITY = "meshdesk.agent.capacity.units";

    /** How a session-route call ended, the {@code outcome} label of the decision histogram. */
    public enum DecisionOutcome {
        ASSIGNED,
        QUEUED,
        EXISTING,
        REJECTED,
        FAILED;

        public String label() {
            return name().toLowerCase();
        }
    }

    private final MeterRegistry registry;
    private final String region;

    private final Counter assignmentConflicts;

    public RoutingMetrics(MeterRegistry registry, String region) {
        this.registry = registry;
        this.region = region;
        // Registered at once, so the series reads 0 rather than nothing until the first conflict.
        this.assignmentConflicts = Counter.builder(ASSIGNMENT_CONFLICTS)
                .description("Assignment transactions that lost a race to another decision and were tried again")
                .tags("region", region)
                .register(registry);
    }

    public void decision(DecisionOutcome outcome, Duration took) {
        Timer.builder(DECISION)
                .description("Time to decide a session-route call")
                .tags("region", region, "outcome", outcome.label())
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
    }

    public void channelRequest(Channel channel, DecisionOutcome status) {
        Counter.builder(CHANNEL_REQUESTS)
                .description("session-route calls per channel")
                .tags("region", region, "channel", channel.toString(), "status", status.label())
                .register(registry)
                .increment();
    }

    public void assignmentConflict() {
        assignmentConflicts.increment();
    }

    /** Recorded when a session leaves the queue for an agent. */
    public void queueWait(SessionRecord session, Instant assignedAt) {
        Timer.builder(QUEUE_WAIT)
                .description("Time from entering the queue to being assigned")
                .tags(
                        "region",
                        region,
                        "channel",
                        session.channel().toString(),
                        "priority",
                        session.priority().toString())
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.between(session.enqueuedAt(), assignedAt));
    }

    public void sessionClosed(Channel channel, Outcome outcome) {
        Counter.builder(SESSIONS_CLOSED)
                .description("Sessions closed, by how they ended")
                .tags("region", region, "channel", channel.toString(), "outcome", outcome.toString())
                .register(registry)
                .increment();
    }

    public void queueDepthGauge(Priority priority, Supplier<Number> depth) {
        Gauge.builder(QUEUE_DEPTH, depth)
                .description("Sessions waiting, by the band they are served in")
                .tags("region", region, "priority", priority.toString())
                .strongReference(true)
                .register(registry);
    }

    public void agentCapacityGauge(String state, Supplier<Number> units) {
        Gauge.builder(AGENT_CAPACITY, units)
                .description("Capacity units of present agents, used and total")
                .tags("region", region, "state", state)
                .strongReference(true)
                .register(registry);
    }

    public void agentsGauge(AgentStatus status, Supplier<Number> count) {
        Gauge.builder(AGENTS, count)
                .description("Agents present in this region, by status")
                .tags("region", region, "status", status.toString())
                .strongReference(true)
                .register(registry);
    }
}
