package io.meshdesk.etcd.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a real single-member etcd for a {@code @QuarkusTest} and points
 * {@code meshdesk.etcd.endpoints} at it. Tests can reach the cluster through {@link #cluster()}.
 * With the init arg {@code down-at-start=true} the member is stopped before the application
 * starts, for tests of a function that starts while etcd is away.
 */
public class EtcdTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EtcdCluster cluster;
    private boolean downAtStart;

    public static EtcdCluster cluster() {
        return cluster;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        downAtStart = Boolean.parseBoolean(initArgs.getOrDefault("down-at-start", "false"));
    }

    @Override
    public Map<String, String> start() {
        cluster = EtcdCluster.single();
        if (downAtStart) {
            cluster.kill(0);
        }
        return Map.of("meshdesk.etcd.endpoints", cluster.endpointsCsv());
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
