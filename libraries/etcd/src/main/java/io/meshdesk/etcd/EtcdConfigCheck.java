package io.meshdesk.etcd;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

/**
 * Checks {@code meshdesk.etcd.*} when the function starts, so a mistyped endpoint or timeout
 * fails the start with a message naming the key, instead of failing every call that needs etcd.
 * (A value that is not a duration at all is refused by the config system itself, also at start.)
 */
final class EtcdConfigCheck {

    private EtcdConfigCheck() {}

    static void check(EtcdConfig config) {
        endpoints(config.endpoints());
        positive("meshdesk.etcd.timeout", "MESHDESK_ETCD_TIMEOUT", config.timeout());
        positive("meshdesk.etcd.attempt-timeout", "MESHDESK_ETCD_ATTEMPT_TIMEOUT", config.attemptTimeout());
    }

    static void endpoints(List<String> endpoints) {
        if (endpoints == null || endpoints.isEmpty()) {
            throw wrong("is empty");
        }
        for (String endpoint : endpoints) {
            URI uri;
            try {
                uri = new URI(endpoint.trim());
            } catch (URISyntaxException e) {
                throw wrong("'" + endpoint + "' is not a URL (" + e.getReason() + ")");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
                    || uri.getHost() == null
                    || uri.getPort() <= 0) {
                throw wrong("'" + endpoint + "' is not an etcd client URL with a scheme, host and port");
            }
        }
    }

    private static IllegalArgumentException wrong(String what) {
        return new IllegalArgumentException("meshdesk.etcd.endpoints (MESHDESK_ETCD_ENDPOINTS) " + what
                + "; set it to the etcd members' client URLs, comma-separated, such as "
                + "http://127.0.0.1:2379,http://127.0.0.1:2479");
    }

    private static void positive(String key, String env, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " (" + env + ") is " + value
                    + "; it must be longer than zero, such as 3s (see the README's configuration table)");
        }
    }
}
