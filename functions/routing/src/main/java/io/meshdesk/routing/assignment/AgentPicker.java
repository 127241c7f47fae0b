package io.meshdesk.routing.assignment;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import io.meshdesk.routing.state.Agent;
import io.meshdesk.routing.state.AgentLoad;
import io.meshdesk.routing.state.AgentStatus;
import io.meshdesk.routing.state.RegionView;
import io.meshdesk.routing.state.Versioned;
import io.meshdesk.session.contract.SessionRecord;

/** The routing rules that choose an agent for a session (README, "Routing rules"). */
public final class AgentPicker {

    /** An agent with the load it had when chosen: both revisions go into the transaction. */
    public record Candidate(Versioned<Agent> agent, Versioned<AgentLoad> load) {}

    private final String region;

    public AgentPicker(String region) {
        this.region = region;
    }

    /**
     * Could this agent take this session, apart from free capacity? In this region, available,
     * weight above zero, speaks the language, has every skill at the proficiency asked for, and
     * its load belongs to its current presence lease.
     */
    public boolean suits(Agent agent, AgentLoad load, SessionRecord session) {
        return region.equals(agent.region())
                && agent.status() == AgentStatus.AVAILABLE
                && agent.weight() > 0
                && agent.speaks(session.language())
                && agent.masters(session.skills())
                && load != null
                && load.leaseId() == agent.leaseId();
    }

    public boolean hasRoom(Agent agent, AgentLoad load, int cost) {
        return load.used() + cost <= agent.capacity();
    }

    /**
     * The agent to take the session now, if any: the preferred agent while the session waits
     * for them, otherwise the one idle longest, scaled by weight.
     */
    public Optional<Candidate> pick(SessionRecord session, RegionView view, Instant now) {
        return pick(session, view, now, 0);
    }

    /**
     * As {@link #pick(SessionRecord, RegionView, Instant)}, after {@code lostRaces} lost races for this
     * session: then one of the 2^lostRaces longest idle, at random. Every instance picking the
     * same "best" agent at once makes all but one lose; spreading the retries over the next best
     * ends that pile-up within a few rounds, while an uncontended pick stays strictly fair.
     */
    public Optional<Candidate> pick(SessionRecord session, RegionView view, Instant now, int lostRaces) {
        return pick(session, view, now, lostRaces, agentId -> false);
    }

    /**
     * As {@link #pick(SessionRecord, RegionView, Instant, int)}, passing over agents that another
     * decision of this instance is assigning to right now (inFlight) while others suit: in
     * sequence the second decision would not pick that agent either, as its first assignment
     * makes it the most recently busy, and concurrent decisions no longer all race for one agent.
     */
    public Optional<Candidate> pick(
            SessionRecord session, RegionView view, Instant now, int lostRaces, Predicate<String> inFlight) {
        if (session.preferredAgentId() != null) {
            Optional<Candidate> preferred = candidate(session.preferredAgentId(), session, view);
            if (preferred.isPresent() || session.waitsForPreferred(now)) {
                return preferred;
            }
        }
        List<Candidate> eligible = view.agents().stream()
                .map(a -> new Candidate(a, view.load(a.value().agentId())))
                .filter(c -> c.load() != null
                        && suits(c.agent().value(), c.load().value(), session)
                        && hasRoom(c.agent().value(), c.load().value(), session.cost()))
                .toList();
        List<Candidate> notInFlight = eligible.stream()
                .filter(c -> !inFlight.test(c.agent().value().agentId()))
                .toList();
        if (!notInFlight.isEmpty()) {
            eligible = notInFlight;
        }
        Comparator<Candidate> longestIdleFirst = Comparator.<Candidate>comparingDouble(c -> idleScore(c, now))
                .thenComparing(c -> c.agent().value().agentId(), Comparator.reverseOrder())
                .reversed();
        if (lostRaces == 0 || eligible.size() < 2) {
            return eligible.stream().min(longestIdleFirst);
        }
        int spread = (int) Math.min(eligible.size(), 1L << Math.min(lostRaces, 20));
        List<Candidate> best =
                eligible.stream().sorted(longestIdleFirst).limit(spread).toList();
        return Optional.of(best.get(ThreadLocalRandom.current().nextInt(best.size())));
    }

    /** The preferred agent as a candidate, when it suits the session and has room now. */
    public Optional<Candidate> candidate(String agentId, SessionRecord session, RegionView view) {
        Versioned<Agent> agent = view.agent(agentId);
        Versioned<AgentLoad> load = view.load(agentId);
        if (agent == null
                || load == null
                || !suits(agent.value(), load.value(), session)
                || !hasRoom(agent.value(), load.value(), session.cost())) {
            return Optional.empty();
        }
        return Optional.of(new Candidate(agent, load));
    }

    /** True when the preferred agent suits the session but is busy: then the session waits for it. */
    public boolean worthWaitingFor(String agentId, SessionRecord session, RegionView view) {
        Versioned<Agent> agent = view.agent(agentId);
        Versioned<AgentLoad> load = view.load(agentId);
        return agent != null
                && load != null
                && suits(agent.value(), load.value(), session)
                && !hasRoom(agent.value(), load.value(), session.cost())
                && agent.value().capacity() >= session.cost();
    }

    private static double idleScore(Candidate c, Instant now) {
        double idleMillis = Math.max(
                1, Duration.between(c.load().value().lastAssignedAt(), now).toMillis());
        return idleMillis * c.agent().value().weight() / 100.0;
    }
}
