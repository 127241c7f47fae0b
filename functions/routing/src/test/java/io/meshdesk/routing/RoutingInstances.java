package io.meshdesk.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.events.EventSink;
import io.meshdesk.routing.metrics.RoutingMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Several routing instances against one etcd, each with its own etcd client and its own view,
 * as separate pods would run them: nothing is shared between them but etcd.
 */
final class RoutingInstances implements AutoCloseable {

    final List<RoutingInstance> instances = new ArrayList<>();
    final List<BlockingEtcd> clients = new ArrayList<>();

    RoutingInstances(EtcdCluster etcd, int count, RoutingSettings settings) {
        for (int i = 0; i < count; i++) {
            BlockingEtcd client = BlockingEtcd.connect(etcd.endpoints(), Duration.ofSeconds(3));
            clients.add(client);
            instances.add(new RoutingInstance(client, settings, EventSink.NONE,
                    new RoutingMetrics(new SimpleMeterRegistry(), settings.region()), Clock.systemUTC()).start());
        }
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
    }
}
