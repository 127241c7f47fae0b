package io.meshdesk.meshconfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshdesk.meshconfig.cluster.ClusterSync;

/**
 * Plays the mesh for the tests: sends customers' requests to the stable or candidate version
 * by the weights the cluster (the mock API server) holds right now, mirrors the share the
 * ingress route says, and records every (weight, mirror) it sees, in order.
 */
final class MeshTraffic implements AutoCloseable {

    record Routing(int weight, int mirror) {}

    final List<Routing> seen = new CopyOnWriteArrayList<>();
    final AtomicBoolean sending = new AtomicBoolean(true);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Thread watcher;
    private final Thread sender;
    private volatile Routing now = new Routing(0, 0);

    MeshTraffic(KubernetesClient cluster, VersionInstance stable, VersionInstance candidate, int requestsPerSecond) {
        watcher = new Thread(
                () -> {
                    while (running.get()) {
                        Routing r = read(cluster, candidate.version);
                        if (r != null) {
                            now = r;
                            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(r)) {
                                seen.add(r);
                            }
                        }
                        pause(50);
                    }
                },
                "mesh-traffic-watch");
        sender = new Thread(
                () -> {
                    while (running.get()) {
                        if (sending.get()) {
                            Routing r = now;
                            ThreadLocalRandom random = ThreadLocalRandom.current();
                            send(random.nextInt(100) < r.weight() ? candidate : stable);
                            if (random.nextInt(100) < r.mirror()) {
                                send(candidate);
                            }
                        }
                        pause(1000 / requestsPerSecond);
                    }
                },
                "mesh-traffic-send");
        watcher.setDaemon(true);
        sender.setDaemon(true);
        watcher.start();
        sender.start();
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

    private void send(VersionInstance to) {
        http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://" + to.target() + "/work"))
                        .timeout(Duration.ofSeconds(2))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind(String k) {
        return ClusterSync.KINDS.stream()
                .filter(c -> c.getKind().equals(k))
                .findFirst()
                .orElseThrow();
    }

    // The two loops pace themselves; this is their own clock, not a test's wait for a condition.
    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        watcher.interrupt();
        sender.interrupt();
    }
}
