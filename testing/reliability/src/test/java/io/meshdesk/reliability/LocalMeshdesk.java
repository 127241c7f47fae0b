package io.meshdesk.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.identity.testing.TestTokens;
import io.meshdesk.localservers.FunctionInstance;

/**
 * meshdesk as it runs locally, each part its own process on loopback: etcd members, routing
 * instances (every one given all etcd endpoints) and ticketing with its embedded PostgreSQL,
 * the functions trusting the test issuer so that {@link TestTokens} signs their callers.
 */
final class LocalMeshdesk implements AutoCloseable {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();
    static final Duration START = Duration.ofSeconds(90);

    final EtcdCluster etcd;
    final List<FunctionInstance> routing = new ArrayList<>();
    final Path work;
    private final Path keys;
    private final List<FunctionInstance> started = new ArrayList<>();

    private LocalMeshdesk(EtcdCluster etcd, Path work) {
        this.etcd = etcd;
        this.work = work;
        this.keys = work.resolve("jwks.json");
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(TestTokens.PUBLIC_KEYS)) {
            Files.copy(in, keys, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LocalMeshdesk start(EtcdCluster etcd, int routingInstances) {
        Path work;
        try {
            work = Files.createDirectories(ROOT.resolve("testing/reliability/target/run-" + System.nanoTime()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalMeshdesk mesh = new LocalMeshdesk(etcd, work);
        try {
            for (int i = 0; i < routingInstances; i++) {
                mesh.routing.add(mesh.startRouting());
            }
        } catch (RuntimeException e) {
            mesh.close();
            throw e;
        }
        return mesh;
    }

    FunctionInstance startRouting() {
        return startRouting(java.util.Map.of());
    }

    /** A routing instance with extra properties (such as rules on a longer clock). */
    FunctionInstance startRouting(java.util.Map<String, String> extra) {
        FunctionInstance.Builder builder = FunctionInstance.of(ROOT, "routing");
        extra.forEach(builder::property);
        return track(builder.workDir(work)
                .startTimeout(START)
                .property("meshdesk.etcd.endpoints", etcd.endpointsCsv())
                // Longer than the suite, so agents stay present without heartbeats.
                .property("meshdesk.routing.agent-lease-ttl", "300s")
                .jvmOption("-Xmx256m")
                .property("mp.jwt.verify.issuer", TestTokens.ISSUER)
                .property("mp.jwt.verify.publickey.location", keys.toString())
                .start());
    }

    /** Ticketing with its embedded PostgreSQL in dataDir (durable, as local runs are). */
    FunctionInstance startTicketing(Path dataDir) {
        return track(FunctionInstance.of(ROOT, "ticketing")
                .workDir(work)
                .startTimeout(START)
                .property("meshdesk.etcd.endpoints", etcd.endpointsCsv())
                .property("meshdesk.data-dir", dataDir.toString())
                .jvmOption("-Xmx256m")
                .property("mp.jwt.verify.issuer", TestTokens.ISSUER)
                .property("mp.jwt.verify.publickey.location", keys.toString())
                .start());
    }

    private FunctionInstance track(FunctionInstance instance) {
        synchronized (started) {
            started.add(instance);
        }
        return instance;
    }

    @Override
    public void close() {
        synchronized (started) {
            started.forEach(FunctionInstance::close);
        }
        etcd.close();
        deleteDatabases();
    }

    /** The PostgreSQL data of each run (about 40 MB each) goes; the logs stay for a failure's reader. */
    private void deleteDatabases() {
        try (Stream<Path> files = Files.walk(work)) {
            List<Path> databases = files.filter(
                            p -> p.getFileName().toString().equals("postgres") && Files.isDirectory(p))
                    .toList();
            for (Path db : databases) {
                try (Stream<Path> inside = Files.walk(db)) {
                    inside.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            // Left behind under target/: harmless, and the next clean removes it.
        }
    }
}
