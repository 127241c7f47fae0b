package io.meshdesk.etcd.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a real single-member etcd for a {@code @QuarkusTest} and points
 * {@code meshdesk.etcd.endpoints} at it. Tests can reach the cluster through {@link #cluster()}.
 */
public class EtcdTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EtcdCluster cluster;

    public static EtcdCluster cluster() {
        return cluster;
    }

    @Override
    public Map<String, String> start() {
        cluster = EtcdCluster.single();
        return Map.of("meshdesk.etcd.endpoints", cluster.endpointsCsv());
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
