package io.meshdesk.loadtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.identity.dev.DevIssuer;
import io.meshdesk.localservers.FunctionInstance;

/**
 * The real parts a scenario runs against, on loopback: one etcd, and as many routing, chat and
 * ticketing instances (packaged jars, each its own JVM) as it asks for. Closing stops them all.
 */
public final class Platform implements AutoCloseable {

    static final String SECRET = "load-test-session-secret-of-at-least-32-bytes";

    private final Path root;
    private final Path work;
    private final EtcdCluster etcd;
    private final Path identity;
    private final Tokens tokens;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<FunctionInstance> routing = new ArrayList<>();
    private final List<FunctionInstance> chat = new ArrayList<>();
    private FunctionInstance ticketing;

    private Platform(Path root) {
        this.root = root;
        try {
            this.work = Files.createTempDirectory("meshdesk-load-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.etcd = EtcdCluster.single();
        this.identity = work.resolve("identity");
        this.tokens = new Tokens(DevIssuer.inDirectory(identity, DevIssuer.LOCAL_ISSUER));
        running.add(etcd);
    }

    public static Platform start(Path root) {
        return new Platform(root);
    }

    public Platform routing(int instances) {
        for (int i = 0; i < instances; i++) {
            routing.add(started(function("routing")
                    .property("meshdesk.routing.agent-lease-ttl", "60s")
                    .start()));
        }
        return this;
    }

    /** Chat instances; jvmOptions such as -Xmx512m apply to each. */
    public Platform chat(int instances, String... jvmOptions) {
        for (int i = 0; i < instances; i++) {
            // The per-participant limit (20 messages a second) is for people; a driver that speaks
            // for many people over few streams needs it lifted.
            FunctionInstance.Builder b = function("chat").property("meshdesk.chat.max-messages-per-second", "100000");
            for (String o : jvmOptions) {
                b.jvmOption(o);
            }
            chat.add(started(b.start()));
        }
        return this;
    }

    public Platform ticketing() {
        ticketing = started(trusting(FunctionInstance.of(root, "ticketing"))
                .workDir(work)
                .property("meshdesk.data-dir", work.resolve("ticketing").toString())
                .property("meshdesk.log-levels.from-etcd", "false")
                .start());
        return this;
    }

    private FunctionInstance.Builder function(String name) {
        return trusting(FunctionInstance.of(root, name))
                .workDir(work)
                .property("meshdesk.etcd.endpoints", etcd.endpointsCsv())
                .property("meshdesk.session-token.secret", SECRET)
                .property("quarkus.log.console.json.enabled", "false")
                .property("quarkus.log.category.\"io.meshdesk\".level", "WARN");
    }

    /** Every function of the run verifies tokens of the run's own development issuer. */
    private FunctionInstance.Builder trusting(FunctionInstance.Builder function) {
        return function.trustingIssuer(DevIssuer.LOCAL_ISSUER, identity.resolve(DevIssuer.PUBLIC_KEYS));
    }

    /** Tokens for the drivers' customers, agents and ops, signed by the issuer the functions trust. */
    public Tokens tokens() {
        return tokens;
    }

    private FunctionInstance started(FunctionInstance f) {
        running.add(f);
        return f;
    }

    public EtcdCluster etcd() {
        return etcd;
    }

    public List<FunctionInstance> routingInstances() {
        return routing;
    }

    public List<FunctionInstance> chatInstances() {
        return chat;
    }

    public FunctionInstance ticketingInstance() {
        return ticketing;
    }

    public Path root() {
        return root;
    }

    public Path work() {
        return work;
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("could not stop " + running.get(i) + ": " + e.getMessage());
            }
        }
    }
}
