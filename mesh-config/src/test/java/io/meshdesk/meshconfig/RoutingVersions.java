package io.meshdesk.meshconfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.identity.testing.TestTokens;
import io.meshdesk.localservers.FunctionInstance;

/**
 * The routing versions the canary tests roll out: packaged routing instances
 * ({@code functions/routing/target/quarkus-app}) on one real etcd, trusting the test issuer so
 * that {@link TestTokens} signs the customers' requests. A candidate with a mirror phase also has
 * its mirror target: the same version in shadow mode ({@code meshdesk.shadow=true}), as the
 * rendered {@code routing-canary} Knative Service runs it. A bad version is bad through the
 * fault-injection settings ({@code meshdesk.fault.*}), which production leaves off. Versions
 * start in the background, two at a time (the cores of this machine); a test waits, bounded, for
 * the ones it uses.
 */
final class RoutingVersions implements AutoCloseable {

    /** One version: the instance that serves its weighted share, and its shadow-mode mirror target (or null). */
    record Version(String name, FunctionInstance serving, FunctionInstance mirror) {}

    static final Duration START = Duration.ofSeconds(90);

    private final EtcdCluster etcd = EtcdCluster.single();
    private final Path work;
    private final Path keys;
    private final ExecutorService starting = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "routing-versions-start");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Future<Version>> versions = new ConcurrentHashMap<>();
    private final List<FunctionInstance> started = new CopyOnWriteArrayList<>();

    RoutingVersions() {
        try {
            work = Files.createDirectories(Repo.ROOT.resolve("mesh-config/target/canary-run-" + System.nanoTime()));
            keys = work.resolve("jwks.json");
            try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(TestTokens.PUBLIC_KEYS)) {
                Files.copy(in, keys);
            }
        } catch (IOException e) {
            etcd.close();
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a version in the background; with a mirror, also its shadow-mode mirror target. */
    RoutingVersions start(String version, boolean withMirror, Map<String, String> faults) {
        versions.put(
                version,
                starting.submit(() -> new Version(
                        version,
                        instance(version, false, faults),
                        withMirror ? instance(version, true, faults) : null)));
        return this;
    }

    boolean has(String version) {
        return versions.containsKey(version);
    }

    /** A started version, once its instances are ready. */
    Version get(String version) {
        Future<Version> f = versions.get(version);
        if (f == null) {
            throw new IllegalArgumentException("routing " + version + " was not started; start it in @BeforeAll");
        }
        try {
            return f.get(START.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "routing " + version + " did not start: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("routing " + version + " was not ready within " + START.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private FunctionInstance instance(String version, boolean shadow, Map<String, String> faults) {
        FunctionInstance.Builder b = FunctionInstance.of(Repo.ROOT, "routing")
                .workDir(work)
                .startTimeout(START)
                // C1 only: half the start time on two shared cores; the tests judge error rates and
                // added latency, not the instances' peak speed.
                .jvmOption("-XX:TieredStopAtLevel=1")
                .jvmOption("-XX:+UseSerialGC")
                .jvmOption("-Xmx160m")
                .property("meshdesk.etcd.endpoints", etcd.endpointsCsv())
                .property("meshdesk.version", version)
                .property("meshdesk.shadow", Boolean.toString(shadow))
                // A decision line per request would be most of the instances' work at these rates.
                .property("quarkus.log.category.\"io.meshdesk\".level", "WARN")
                .trustingIssuer(TestTokens.ISSUER, keys);
        faults.forEach(b::property);
        FunctionInstance i = b.start();
        started.add(i);
        if (faults.isEmpty()) {
            warmUp(i); // a version bad by design needs none
        }
        return i;
    }

    /**
     * A freshly started JVM answers its first requests slowly while it loads and compiles their
     * path; a candidate whose first weighted requests are those would fail its P99 for a reason
     * that is no fault of its version. A revision's readiness would hide that in a cluster.
     */
    private static void warmUp(FunctionInstance instance) {
        String token = TestTokens.bearer(TestTokens.customer("warm-up-" + instance.port()));
        for (int batch = 0; batch < WARM_UP_REQUESTS / WARM_UP_PARALLEL; batch++) {
            List<CompletableFuture<HttpResponse<Void>>> calls = new ArrayList<>();
            for (int i = 0; i < WARM_UP_PARALLEL; i++) {
                calls.add(HTTP.sendAsync(
                        HttpRequest.newBuilder(instance.url().resolve("/session-route"))
                                .timeout(Duration.ofSeconds(5))
                                .header("content-type", "application/json")
                                .header("authorization", token)
                                .POST(HttpRequest.BodyPublishers.ofString(MeshTraffic.body(
                                        "warm-up-" + instance.port() + "-" + (batch * WARM_UP_PARALLEL + i))))
                                .build(),
                        HttpResponse.BodyHandlers.discarding()));
            }
            // An answer of any status warms the path; a failed call only means less warm.
            calls.forEach(c -> c.exceptionally(e -> null).join());
        }
    }

    private static final int WARM_UP_REQUESTS = 100;
    private static final int WARM_UP_PARALLEL = 10;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Override
    public void close() {
        // Not interrupted: a start cut short would leave its JVM running, unknown to this list.
        starting.shutdown();
        try {
            starting.awaitTermination(START.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<FunctionInstance> all = new ArrayList<>(started);
        all.parallelStream().forEach(FunctionInstance::close);
        etcd.close();
    }
}
