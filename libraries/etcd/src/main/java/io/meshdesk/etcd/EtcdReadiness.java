package io.meshdesk.etcd;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while etcd answers and what the function loads from it after start-up (each
 * {@link StartupLoad} bean) is in: without them a function can decide nothing.
 */
@Readiness
@ApplicationScoped
public class EtcdReadiness implements HealthCheck {

    private final BlockingEtcd etcd;
    private final EtcdConfig config;
    private final Instance<StartupLoad> loads;

    EtcdReadiness(BlockingEtcd etcd, EtcdConfig config, @Any Instance<StartupLoad> loads) {
        this.etcd = etcd;
        this.config = config;
        this.loads = loads;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("etcd").withData("endpoints", String.join(",", config.endpoints()));
        try {
            etcd.get(Keyspace.ROOT, "checking readiness");
        } catch (RuntimeException e) {
            return builder.down().withData("error", e.getMessage()).build();
        }
        for (StartupLoad load : loads) {
            if (!load.isLoaded()) {
                return builder.down().withData("loading", load.what()).build();
            }
        }
        return builder.up().build();
    }
}
