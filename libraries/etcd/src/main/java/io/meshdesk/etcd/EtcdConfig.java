package io.meshdesk.etcd;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a function reaches etcd: {@code meshdesk.etcd.*}, or MESHDESK_ETCD_* in the environment. */
@ConfigMapping(prefix = "meshdesk.etcd")
public interface EtcdConfig {

    /** Client URLs of the etcd members, comma-separated. */
    @WithDefault("http://127.0.0.1:2379")
    List<String> endpoints();

    /** The longest one etcd call may take before the request fails with 503. */
    @WithDefault("3s")
    Duration timeout();

    /**
     * The longest one try of a call may take: a try stuck on a dead or frozen member is given up
     * and sent to another member, as often as the timeout allows.
     */
    @WithDefault("1s")
    Duration attemptTimeout();
}
