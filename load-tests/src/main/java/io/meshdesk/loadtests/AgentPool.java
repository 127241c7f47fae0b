package io.meshdesk.loadtests;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.meshdesk.etcd.DaemonThreads;

/**
 * Agents that register and then heartbeat every 5 s, as agent consoles do, for as long as the
 * pool is open: routing's presence leases (20 s by default) would otherwise expire under a
 * long run and every later session would queue.
 */
final class AgentPool implements AutoCloseable {

    private final ScheduledExecutorService heartbeats = DaemonThreads.scheduler("agent-heartbeats");

    /** Registers agents prefix0..prefix(count-1), spread over the routing instances. */
    AgentPool(List<FunctionClient> routing, Tokens tokens, String prefix, int count, int capacity) {
        List<FunctionClient> asAgent = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            asAgent.add(routing.get(i % routing.size()).as(tokens.agent(prefix + i)));
            asAgent.get(i).call("agent-register", FunctionClient.agent(prefix + i, capacity, "en"));
        }
        heartbeats.scheduleAtFixedRate(
                () -> {
                    for (int i = 0; i < count; i++) {
                        try {
                            asAgent.get(i).callAsync("agent-heartbeat", Map.of("agentId", prefix + i));
                        } catch (RuntimeException e) {
                            // a missed heartbeat is not what the runs measure; the next one comes in 5 s
                        }
                    }
                },
                5,
                5,
                TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
    }
}
