package io.meshdesk.chat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.meshdesk.etcd.testing.EtcdCluster;

/**
 * One real etcd member per test class, as a static {@code @RegisterExtension}: started before the
 * class's first test (so instance fields may use it), stopped after its last.
 */
final class OneEtcd implements BeforeAllCallback, AfterAllCallback {

    private volatile EtcdCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = EtcdCluster.single();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        cluster.close();
    }

    EtcdCluster cluster() {
        return cluster;
    }
}
