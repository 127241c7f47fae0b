package io.meshdesk.reliability;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.meshdesk.identity.testing.TestTokens;

/**
 * Customers routing sessions through the routing instances while a fault happens, each as a
 * careful client would: the same sessionId on every retry, another instance when one does not
 * answer, a short pause after a 503. Every call is recorded with its status and latency.
 */
final class RoutingTraffic {

    record Call(String sessionId, int status, Duration took) {}

    record Result(List<Call> calls, Set<String> acknowledged, int sessions) {
        long count(int status) {
            return calls.stream().filter(c -> c.status() == status).count();
        }

        Duration slowest() {
            return calls.stream().map(Call::took).max(Duration::compareTo).orElse(Duration.ZERO);
        }

        String summary() {
            return calls.size() + " calls for " + sessions + " sessions: " + count(200) + " ok, " + count(503)
                    + " 503, " + count(0) + " no answer, "
                    + calls.stream()
                            .filter(c -> c.status() >= 500 && c.status() != 503)
                            .count() + " other 5xx; slowest " + slowest().toMillis() + " ms";
        }
    }

    private RoutingTraffic() {}

    /**
     * Routes sessions prefix-0 .. prefix-(sessions-1) with the given concurrency; runs fault once
     * a third of them are acknowledged; returns when every session is acknowledged or the
     * deadline passed.
     */
    static Result run(
            List<URI> instances, String prefix, int sessions, int concurrency, Duration deadline, Runnable fault)
            throws Exception {
        List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        int[] instanceOf = new int[concurrency];
        for (int w = 0; w < concurrency; w++) {
            instanceOf[w] = w % instances.size();
        }
        boolean reached = FaultDuringTraffic.run(sessions, concurrency, deadline, fault, (worker, n) -> {
            String id = prefix + "-" + n;
            Http.Answer a = Http.post(
                    instances.get(instanceOf[worker]),
                    "session-route",
                    TestTokens.customer("c-" + id),
                    Map.of("sessionId", id, "channel", "web", "language", "en"));
            calls.add(new Call(id, a.status(), a.took()));
            if (a.ok()) {
                acknowledged.add(id);
                return true;
            }
            if (a.status() == 0) {
                instanceOf[worker] = (instanceOf[worker] + 1) % instances.size();
            } else if (a.status() != 503 && a.status() != 409) {
                throw new AssertionError("session-route " + id + " answered " + a.status() + ": " + a.json());
            }
            return false;
        });
        if (!reached) {
            throw new AssertionError(
                    "a third of the sessions were not routed before the fault: " + calls.size() + " calls");
        }
        return new Result(List.copyOf(calls), Set.copyOf(acknowledged), sessions);
    }
}
