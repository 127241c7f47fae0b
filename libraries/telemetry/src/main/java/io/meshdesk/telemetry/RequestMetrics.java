package io.meshdesk.telemetry;

import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * The HTTP server's request timer (http_server_requests_seconds) carries {@code function} and
 * {@code version} (from meshdesk.function and meshdesk.version, set per revision by the
 * rendered Knative Service) and has buckets, so a canary's analysis can compare the
 * success rate and P99 of two versions of one function from the functions' own metrics.
 */
@Singleton
public class RequestMetrics {

    static final String REQUESTS = "http.server.requests";

    /** Bucket bounds of http_server_requests_seconds: enough for a P99 against gates of tens to thousands of ms. */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    /** Only the request timer: the functions' own meters keep the labels their dashboards and tests know. */
    @Produces
    @Singleton
    MeterFilter functionAndVersion(
            @ConfigProperty(name = "meshdesk.function") String function,
            @ConfigProperty(name = "meshdesk.version") String version) {
        return functionAndVersion(REQUESTS, function, version);
    }

    /**
     * A filter that gives the one meter named {@code meter} the {@code function} and
     * {@code version} labels: for a function's own meter a canary compares across versions
     * (routing's decision histogram).
     */
    public static MeterFilter functionAndVersion(String meter, String function, String version) {
        Tags tags = Tags.of("function", function, "version", version);
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals(meter) ? id.withTags(tags) : id;
            }
        };
    }

    @Produces
    @Singleton
    MeterFilter requestBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(REQUESTS)) {
                    return config;
                }
                double[] nanos = new double[BUCKETS.length];
                for (int i = 0; i < BUCKETS.length; i++) {
                    nanos[i] = BUCKETS[i].toNanos();
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(nanos)
                        .build()
                        .merge(config);
            }
        };
    }
}
