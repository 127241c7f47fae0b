package io.meshdesk.etcd;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while etcd answers: without it a function can decide nothing. */
@Readiness
@ApplicationScoped
public class EtcdReadiness implements HealthCheck {

    private final BlockingEtcd etcd;
    private final EtcdConfig config;

    EtcdReadiness(BlockingEtcd etcd, EtcdConfig config) {
        this.etcd = etcd;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("etcd").withData("endpoints", String.join(",", config.endpoints()));
        try {
            etcd.get(Keyspace.ROOT, "checking readiness");
            return builder.up().build();
        } catch (RuntimeException e) {
            return builder.down().withData("error", e.getMessage()).build();
        }
    }
}
