package io.meshdesk.routing.metrics;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.meshdesk.telemetry.RequestMetrics;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * The decision histogram ({@value RoutingMetrics#DECISION}) carries {@code function} and
 * {@code version} (meshdesk.function, meshdesk.version, set per revision like the request
 * timer's, libraries/telemetry's RequestMetrics), so a canary's decision-agreement check can
 * compare the stable version's decisions with what the candidate's shadow would have decided.
 * The same filter as the request timer's, rather than constructor tags: RoutingMetrics stays
 * free of config, and the other routing meters keep the labels their dashboards know.
 */
@Singleton
public class DecisionLabels {

    @Produces
    @Singleton
    MeterFilter decisionFunctionAndVersion(
            @ConfigProperty(name = "meshdesk.function") String function,
            @ConfigProperty(name = "meshdesk.version") String version) {
        return RequestMetrics.functionAndVersion(RoutingMetrics.DECISION, function, version);
    }
}
