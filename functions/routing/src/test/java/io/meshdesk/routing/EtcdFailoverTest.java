package io.meshdesk.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.meshdesk.etcd.EtcdUnavailableException;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.routing.audit.AuditReport;
import io.meshdesk.routing.lifecycle.RouteRequest;
import io.meshdesk.routing.lifecycle.RouteResult;
import io.meshdesk.routing.presence.AgentRegistration;
import io.meshdesk.session.contract.Channel;
import io.meshdesk.session.contract.Priority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 3-member etcd loses its leader while two routing instances route sessions without pause and
 * agents heartbeat as their consoles do. Calls caught in the election are retried with the same
 * session id, as a client would. The traffic spans the election (calls in flight at the kill
 * are held up by it, and more are answered after the new leader); in the end every
 * session exists once, the audit holds, and every agent is still present on its first lease,
 * which only keep-alives sent across the election can have kept.
 */
@Timeout(180)
class EtcdFailoverTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** etcd's smallest TTL on this cluster is 1.5 s; 3 s is what the function tests run with. */
    static final Duration LEASE_TTL = Duration.ofSeconds(3);
    /** As a console would, well under the TTL; the console's default is 5 s against 20 s. */
    static final Duration HEARTBEAT_EVERY = Duration.ofMillis(500);

    static final int AGENTS = 4;
    static final int CALLERS = 8;
    /** Routes answered before the kill, and routes started and answered after the new leader. */
    static final int ROUTES_BEFORE = 40;

    static final int ROUTES_AFTER = 40;
    /** As EtcdCluster starts its members (--election-timeout). */
    static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(1);

    static RoutingInstances routing;

    @BeforeAll
    static void start() {
        routing = RoutingInstances.start(
                EtcdCluster.threeMembers(),
                2,
                RoutingInstances.SETTINGS.withTimes(Duration.ofSeconds(1), Duration.ofSeconds(60), LEASE_TTL),
                Clock.systemUTC(),
                RoutingInstances::connect);
    }

    @AfterAll
    static void stop() {
        routing.close();
    }

    /** One answered session-route: when it started and ended, and how many 503s it got on the way. */
    record Call(String sessionId, long startNanos, long endNanos, int unavailable) {}

    @Test
    void killingTheLeaderMidTrafficLosesAndDoublesNothingAndKeepsEveryAgentOnItsLease() throws Exception {
        Map<String, Long> leases = new ConcurrentHashMap<>();
        for (int a = 0; a < AGENTS; a++) {
            String agent = "agent-" + a;
            leases.put(
                    agent,
                    routing.get(a)
                            .presence()
                            .register(new AgentRegistration(agent, null, Map.of(), List.of("en"), 100, 100))
                            .leaseId());
        }
        Map<String, Long> lastBeat = new ConcurrentHashMap<>();
        ScheduledExecutorService consoles = Executors.newSingleThreadScheduledExecutor();
        consoles.scheduleAtFixedRate(
                () -> heartbeatAll(leases.keySet(), lastBeat), 0, HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);

        Queue<Call> calls = new ConcurrentLinkedQueue<>();
        AtomicBoolean stopTraffic = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            running.add(callers.submit(() -> {
                while (!stopTraffic.get()) {
                    calls.add(routeUntilAnswered(next.getAndIncrement()));
                }
                return null;
            }));
        }
        int killed = -1;
        try (Client status = Client.builder()
                .endpoints(routing.etcd.endpoints().toArray(String[]::new))
                .build()) {
            await().atMost(TIMEOUT).until(() -> calls.size() >= ROUTES_BEFORE);
            Election election = new Election(status, routing.etcd.endpoints());
            killed = election.leader();
            long killedAt = System.nanoTime();
            routing.etcd.kill(killed);
            election.awaitNewLeader(killed, killedAt);
            long electedAt = election.electedAt;
            await().atMost(TIMEOUT)
                    .until(() -> calls.stream()
                                    .filter(c -> c.startNanos() > electedAt)
                                    .count()
                            >= ROUTES_AFTER);
            stopTraffic.set(true);
            callers.shutdown();
            for (Future<?> caller : running) {
                caller.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }

            // The cluster commits nothing between the kill and the new leader, so a route in
            // flight at the kill and answered after a moment the survivors still had no leader
            // waited for the election (the moment the survivors report the new leader comes
            // a poll too late to compare: held-up routes are answered as soon as it is elected).
            assertThat(election.leaderlessAt)
                    .as("the survivors had no leader for a while after the kill")
                    .isGreaterThan(killedAt);
            assertThat(calls)
                    .as("routes in flight at the kill, answered only after the election")
                    .anyMatch(c -> c.startNanos() < killedAt && c.endNanos() > election.leaderlessAt);
            // An election takes one to two election timeouts, less than the 3 s one etcd call
            // has for all its tries, so a call caught in it waits rather than fails. A 503 is
            // possible only for a call that spent part of its budget on the dead member: at most
            // one per caller, and none once the new leader is there.
            assertThat(calls.stream().mapToInt(Call::unavailable).sum())
                    .as("503s while the election ran (each retried with the same session id)")
                    .isLessThanOrEqualTo(CALLERS);
            assertThat(calls.stream().filter(c -> c.startNanos() > electedAt && c.unavailable() > 0))
                    .as("routes that got a 503 after the new leader was elected")
                    .isEmpty();

            // A new leader gives every lease its TTL plus an election timeout, and revokes the
            // expired ones every 500 ms: past that, an agent is there only if its keep-alives
            // reached the new leader, and it must be there on the lease it registered with.
            long pastTtl =
                    electedAt + LEASE_TTL.plus(ELECTION_TIMEOUT.multipliedBy(2)).toNanos();
            await().atMost(TIMEOUT).until(() -> System.nanoTime() > pastTtl);
            for (Map.Entry<String, Long> agent : leases.entrySet()) {
                KeyValue kv = routing.clients.get(0).get(Keyspace.agent(agent.getKey()), "test");
                assertThat(kv)
                        .as("agent %s is present after the election", agent.getKey())
                        .isNotNull();
                assertThat(kv.getLease())
                        .as("agent %s keeps the lease it registered with", agent.getKey())
                        .isEqualTo(agent.getValue());
                assertThat(lastBeat.get(agent.getKey()))
                        .as("a heartbeat of agent %s was answered after the election", agent.getKey())
                        .isGreaterThan(electedAt);
            }

            int sessions = next.get();
            assertThat(calls).as("every session routed was answered").hasSize(sessions);
            await().atMost(TIMEOUT).untilAsserted(() -> {
                routing.sweepAll();
                AuditReport audit = routing.get(0).audit().run();
                assertThat(audit.violations()).isEmpty();
                assertThat(audit.queued() + audit.assigned()).isEqualTo(sessions);
                // Four agents of four chats each: an agent lost in the election would have
                // given its sessions back to the queue.
                assertThat(audit.assigned()).isEqualTo(AGENTS * 4);
            });
        } finally {
            stopTraffic.set(true);
            callers.shutdownNow();
            consoles.shutdownNow();
            if (killed >= 0) {
                routing.etcd.restart(killed);
            }
        }
    }

    /** Routes session n, retrying a 503 with the same id until the budget runs out. */
    private static Call routeUntilAnswered(int n) {
        RouteRequest request = new RouteRequest("s-" + n, "c-" + n, Channel.WEB, "en", Map.of(), null);
        long start = System.nanoTime();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicReference<RouteResult> answered = new AtomicReference<>();
        // A careful client: the same sessionId again every 200 ms after a 503, within TIMEOUT.
        await().atMost(TIMEOUT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .pollInSameThread()
                .until(() -> {
                    try {
                        answered.set(routing.get(n)
                                .sessions()
                                .route(request, Priority.STANDARD)
                                .result());
                        return true;
                    } catch (EtcdUnavailableException e) {
                        unavailable.incrementAndGet();
                        return false;
                    }
                });
        assertThat(answered.get().sessionId()).isEqualTo(request.sessionId());
        return new Call(request.sessionId(), start, System.nanoTime(), unavailable.get());
    }

    /** Each agent's console heartbeats through one of the instances, and records when one was answered. */
    private static void heartbeatAll(Iterable<String> agents, Map<String, Long> lastBeat) {
        int i = 0;
        for (String agent : agents) {
            try {
                routing.get(i++).presence().heartbeat(agent);
                lastBeat.put(agent, System.nanoTime());
            } catch (RuntimeException e) {
                // As a console: the next heartbeat is the retry. Whether enough got through
                // is what the presence check after the election judges.
            }
        }
    }

    /**
     * The leader as the members report it (their status, through one client kept open, so a poll
     * costs one round trip): who leads before the kill, then the last moment after the kill at
     * which the survivors had no new leader (a poll sent then answered without one) and the
     * first at which one named it.
     */
    static final class Election {
        private final Client client;
        private final List<String> endpoints;
        private long leaderId;
        volatile long leaderlessAt;
        volatile long electedAt;

        Election(Client client, List<String> endpoints) {
            this.client = client;
            this.endpoints = endpoints;
        }

        /** The index of the member that leads now. */
        int leader() throws Exception {
            for (int i = 0; i < endpoints.size(); i++) {
                StatusResponse s = status(endpoints.get(i), Duration.ofSeconds(5));
                if (s.getLeader() == s.getHeader().getMemberId()) {
                    leaderId = s.getLeader();
                    return i;
                }
            }
            throw new IllegalStateException("no etcd member of " + endpoints + " says it leads");
        }

        void awaitNewLeader(int killed, long killedAt) {
            leaderlessAt = killedAt;
            await().atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(10))
                    .ignoreExceptions()
                    .until(() -> {
                        long sent = System.nanoTime();
                        for (int i = 0; i < endpoints.size(); i++) {
                            long leader = i == killed
                                    ? 0
                                    : status(endpoints.get(i), Duration.ofSeconds(1))
                                            .getLeader();
                            if (leader != 0 && leader != leaderId) {
                                electedAt = System.nanoTime();
                                return true;
                            }
                        }
                        leaderlessAt = sent;
                        return false;
                    });
        }

        /** A member's status; the first call also connects, which takes a while on a busy machine. */
        private StatusResponse status(String endpoint, Duration within) throws Exception {
            return client.getMaintenanceClient().statusMember(endpoint).get(within.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
