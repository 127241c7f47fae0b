package io.meshdesk.etcd;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.StartupEvent;

/** One etcd connection per function instance, built from {@link EtcdConfig}. */
@ApplicationScoped
public class EtcdClientProducer {

    @Produces
    @Singleton
    BlockingEtcd etcd(EtcdConfig config, Instance<OpenTelemetry> telemetry) {
        EtcdConfigCheck.check(config);
        BlockingEtcd etcd = BlockingEtcd.connect(config.endpoints(), config.timeout(), config.attemptTimeout());
        // The SDK bean itself, not Quarkus's Tracer bean: that one reads GlobalOpenTelemetry, and
        // reading it before the SDK registers (etcd is used at startup) breaks the registration.
        return telemetry.isResolvable() ? etcd.tracedBy(telemetry.get().getTracer("io.meshdesk.etcd")) : etcd;
    }

    /** A wrong etcd setting fails the start, not the first call that needs etcd. */
    void checkAtStart(@Observes StartupEvent start, EtcdConfig config) {
        EtcdConfigCheck.check(config);
    }

    void close(@Disposes BlockingEtcd etcd) {
        etcd.close();
    }
}
