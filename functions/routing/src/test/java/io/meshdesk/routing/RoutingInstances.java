package io.meshdesk.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.events.EventSink;
import io.meshdesk.routing.metrics.RoutingMetrics;
import io.meshdesk.routing.settings.RoutingSettings;
import io.meshdesk.token.SessionTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.awaitility.Awaitility.await;

/**
 * Several routing instances against one etcd, each with its own etcd client and its own view,
 * as separate pods would run them: nothing is shared between them but etcd.
 */
public final class RoutingInstances implements AutoCloseable {

    final EtcdCluster etcd;
    final List<RoutingInstance> instances = new ArrayList<>();
    final List<BlockingEtcd> clients = new ArrayList<>();
    final List<SimpleMeterRegistry> registries = new ArrayList<>();

    /** The settings of {@link #start(EtcdCluster, int)}: agent leases last a minute, longer than any test. */
    static final RoutingSettings SETTINGS = RoutingSettings.defaults("cn-north")
            .withTimes(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60));

    /**
     * Starts count instances on the cluster (which they then own) and waits until each has
     * loaded its view.
     */
    static RoutingInstances start(EtcdCluster etcd, int count) {
        return start(etcd, count, SETTINGS, Clock.systemUTC(), RoutingInstances::connect);
    }

    /** As {@link #start(EtcdCluster, int)}, with the test's own settings, clock and etcd connection. */
    static RoutingInstances start(
            EtcdCluster etcd,
            int count,
            RoutingSettings settings,
            Clock clock,
            Function<List<String>, BlockingEtcd> connect) {
        RoutingInstances routing = new RoutingInstances(etcd, count, settings, clock, connect);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> routing.instances.stream().allMatch(RoutingInstance::ready));
        return routing;
    }

    /** The connection each instance gets by default, with the production timeout of one call. */
    static BlockingEtcd connect(List<String> endpoints) {
        return BlockingEtcd.connect(endpoints, Duration.ofSeconds(3));
    }

    private RoutingInstances(
            EtcdCluster etcd,
            int count,
            RoutingSettings settings,
            Clock clock,
            Function<List<String>, BlockingEtcd> connect) {
        this.etcd = etcd;
        for (int i = 0; i < count; i++) {
            BlockingEtcd client = connect.apply(etcd.endpoints());
            clients.add(client);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            registries.add(registry);
            instances.add(started(client, settings, EventSink.NONE, registry, clock));
        }
    }

    /**
     * One started routing instance on the given connection, with the tests' session-token secret
     * (not yet ready: callers wait for {@link RoutingInstance#ready()} when they need the view).
     */
    public static RoutingInstance started(
            BlockingEtcd client, RoutingSettings settings, EventSink events, MeterRegistry registry, Clock clock) {
        return new RoutingInstance(
                        client,
                        settings,
                        events,
                        new RoutingMetrics(registry, settings.region()),
                        new SessionTokens(
                                "a-test-secret-that-is-long-enough-for-hs256", Duration.ofHours(1), Clock.systemUTC()),
                        clock)
                .start();
    }

    RoutingInstance get(int i) {
        return instances.get(i % instances.size());
    }

    void sweepAll() {
        instances.forEach(RoutingInstance::sweep);
    }

    @Override
    public void close() {
        instances.forEach(RoutingInstance::close);
        clients.forEach(BlockingEtcd::close);
        etcd.close();
    }
}
