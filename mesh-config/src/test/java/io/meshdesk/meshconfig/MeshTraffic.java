package io.meshdesk.meshconfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshdesk.identity.testing.TestTokens;
import io.meshdesk.localservers.FunctionInstance;
import io.meshdesk.meshconfig.cluster.ClusterSync;

/**
 * Plays the mesh for the tests: customers' session-route calls (real tokens) go to the stable
 * or the candidate routing instance by the weights the cluster (the mock API server) holds right
 * now, the share the ingress route says is mirrored to the candidate's shadow-mode instance, and
 * every (weight, mirror) seen is recorded, in order. Twenty customers each keep one session.
 * Requests are paced by a scheduler at a fixed
 * rate, with at most {@value #IN_FLIGHT} in flight.
 */
final class MeshTraffic implements AutoCloseable {

    record Routing(int weight, int mirror) {}

    static final int IN_FLIGHT = 128;
    private static final int CUSTOMERS = 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<Routing> seen = new CopyOnWriteArrayList<>();
    final AtomicBoolean sending = new AtomicBoolean(true);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "mesh-traffic");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicLong calls = new AtomicLong();
    private final String prefix = "canary-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> tokens = new ArrayList<>();
    private final FunctionInstance stable;
    private final RoutingVersions.Version candidate;
    private volatile Routing now = new Routing(0, 0);

    /** With stable or candidate null nothing is sent (there is nothing to send to); the routes are still watched. */
    MeshTraffic(
            KubernetesClient cluster,
            String candidateVersion,
            FunctionInstance stable,
            RoutingVersions.Version candidate,
            int requestsPerSecond) {
        this.stable = stable;
        this.candidate = candidate;
        for (int c = 0; c < CUSTOMERS; c++) {
            tokens.add(TestTokens.bearer(TestTokens.customer(customer(c))));
        }
        clock.scheduleWithFixedDelay(() -> watch(cluster, candidateVersion), 0, 50, TimeUnit.MILLISECONDS);
        if (stable != null && candidate != null) {
            clock.scheduleAtFixedRate(this::sendOne, 0, 1_000_000 / requestsPerSecond, TimeUnit.MICROSECONDS);
        }
    }

    private void watch(KubernetesClient cluster, String candidateVersion) {
        Routing r = read(cluster, candidateVersion);
        if (r != null) {
            now = r;
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(r)) {
                seen.add(r);
            }
        }
    }

    private void sendOne() {
        if (!sending.get()) {
            return;
        }
        Routing r = now;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long n = calls.getAndIncrement();
        int c = (int) (n % CUSTOMERS);
        // Each customer's first call queues its session; the others are its widget coming back to the
        // same conversation ("existing"), reads, so an etcd fsync stall on a busy disk is rare in the P99.
        String body = body(prefix + "-session-" + c);
        send(random.nextInt(100) < r.weight() ? candidate.serving() : stable, c, body);
        if (candidate.mirror() != null && random.nextInt(100) < r.mirror()) {
            send(candidate.mirror(), c, body);
        }
    }

    private String customer(int c) {
        return prefix + "-customer-" + c;
    }

    /** A customer's session-route body for a web chat in English. */
    static String body(String sessionId) {
        try {
            return JSON.writeValueAsString(Map.of("sessionId", sessionId, "channel", "web", "language", "en"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sequence of candidate weights seen, consecutive repeats dropped. */
    List<Integer> weights() {
        List<Integer> out = new ArrayList<>();
        for (Routing r : seen) {
            if (out.isEmpty() || out.get(out.size() - 1) != r.weight()) {
                out.add(r.weight());
            }
        }
        return out;
    }

    List<Integer> mirrors() {
        List<Integer> out = new ArrayList<>();
        for (Routing r : seen) {
            if (out.isEmpty() || out.get(out.size() - 1) != r.mirror()) {
                out.add(r.mirror());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Routing read(KubernetesClient cluster, String candidateVersion) {
        try {
            GenericKubernetesResource svc = cluster.genericKubernetesResources(kind("Service"))
                    .inNamespace("meshdesk")
                    .withName("routing")
                    .get();
            GenericKubernetesResource vs = cluster.genericKubernetesResources(kind("VirtualService"))
                    .inNamespace("meshdesk")
                    .withName("routing")
                    .get();
            if (svc == null || vs == null) {
                return null;
            }
            int weight = 0;
            for (Map<String, Object> t : (List<Map<String, Object>>)
                    ((Map<String, Object>) svc.getAdditionalProperties().get("spec")).get("traffic")) {
                if (String.valueOf(t.get("revisionName")).startsWith("routing-" + candidateVersion + "-")) {
                    weight += ((Number) t.get("percent")).intValue();
                }
            }
            int mirror = 0;
            for (Map<String, Object> route : (List<Map<String, Object>>)
                    ((Map<String, Object>) vs.getAdditionalProperties().get("spec")).get("http")) {
                Object m = route.get("mirrorPercentage");
                if (m instanceof Map<?, ?> mm) {
                    mirror = ((Number) mm.get("value")).intValue();
                }
            }
            return new Routing(weight, mirror);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void send(FunctionInstance to, int customer, String body) {
        if (!inFlight.tryAcquire()) {
            return; // the instances are behind: this tick's customer does not call, none piles up
        }
        http.sendAsync(
                        HttpRequest.newBuilder(to.url().resolve(URI.create("/session-route")))
                                .timeout(Duration.ofSeconds(5))
                                .header("content-type", "application/json")
                                .header("authorization", tokens.get(customer))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .whenComplete((r, e) -> inFlight.release());
    }

    private static io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind(String k) {
        return ClusterSync.KINDS.stream()
                .filter(c -> c.getKind().equals(k))
                .findFirst()
                .orElseThrow();
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
