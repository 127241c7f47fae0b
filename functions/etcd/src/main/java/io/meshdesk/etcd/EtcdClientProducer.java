package io.meshdesk.etcd;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One etcd connection per function instance, built from {@link EtcdConfig}. */
@ApplicationScoped
public class EtcdClientProducer {

    @Produces
    @Singleton
    BlockingEtcd etcd(EtcdConfig config) {
        return BlockingEtcd.connect(config.endpoints(), config.timeout());
    }

    void close(@Disposes BlockingEtcd etcd) {
        etcd.close();
    }
}
