package io.meshdesk.etcd;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EtcdConfigCheckTest {

    private static EtcdConfig config(List<String> endpoints, Duration timeout, Duration attemptTimeout) {
        return new EtcdConfig() {
            @Override
            public List<String> endpoints() {
                return endpoints;
            }

            @Override
            public Duration timeout() {
                return timeout;
            }

            @Override
            public Duration attemptTimeout() {
                return attemptTimeout;
            }
        };
    }

    @Test
    void membersClientUrlsPass() {
        assertThatCode(() -> EtcdConfigCheck.check(config(
                        List.of("http://127.0.0.1:2379", "https://etcd-1.meshdesk.svc:2379"),
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(1))))
                .doesNotThrowAnyException();
    }

    @Test
    void anEndpointThatIsNotAClientUrlFailsNamingTheKeyAndAnExample() {
        for (String bad : List.of("127.0.0.1:2379", "http://127.0.0.1", "etcd", "http://[::1")) {
            assertThatThrownBy(() ->
                            EtcdConfigCheck.check(config(List.of(bad), Duration.ofSeconds(3), Duration.ofSeconds(1))))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("meshdesk.etcd.endpoints (MESHDESK_ETCD_ENDPOINTS)")
                    .hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining("http://127.0.0.1:2379");
        }
    }

    @Test
    void aTimeoutOfZeroFailsNamingTheKey() {
        assertThatThrownBy(() -> EtcdConfigCheck.check(
                        config(List.of("http://127.0.0.1:2379"), Duration.ZERO, Duration.ofSeconds(1))))
                .hasMessageStartingWith("meshdesk.etcd.timeout (MESHDESK_ETCD_TIMEOUT) is PT0S");
        assertThatThrownBy(() -> EtcdConfigCheck.check(
                        config(List.of("http://127.0.0.1:2379"), Duration.ofSeconds(3), Duration.ofSeconds(-1))))
                .hasMessageStartingWith("meshdesk.etcd.attempt-timeout");
    }
}
