package io.meshdesk.meshconfig.model;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;

/** mesh-config/topology.yaml: the regions, the functions and how requests reach them. */
public record Topology(String meshId, String namespace, String imageRegistry, String configSecret, Jwt jwt,
        List<Region> regions, List<Function> functions) {

    /** The JWT issuer whose verified claim says who is premium. */
    public record Jwt(String issuer, String jwksUri, String roleClaim) {
    }

    /** One region: its cluster (kube context), Istio network and public ingress host. */
    public record Region(String name, String cluster, String network, String ingressHost, String tlsSecret) {
    }

    /** A function: one Knative Service per region, one VirtualService and DestinationRule. */
    public record Function(String name, String version, int port, Protocol protocol,
            @JsonProperty("public") boolean isPublic,
            List<String> callers, String timeout, Retries retries, String sessionAffinityHeader,
            Autoscaling autoscaling, Premium premium) {

        public Optional<Premium> premiumPool() {
            return Optional.ofNullable(premium);
        }
    }

    public enum Protocol {
        http, grpc
    }

    public record Retries(int attempts, String perTryTimeout, String retryOn) {
    }

    public record Autoscaling(int minScale, int maxScale, int targetConcurrency) {
    }

    /** A dedicated pool for premium customers, with its own minimum scale. */
    public record Premium(int minScale) {
    }

    public Optional<Function> function(String name) {
        return functions.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public Optional<Region> region(String name) {
        return regions.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The other regions in failover order (the order of topology.yaml). */
    public List<String> failoverFrom(String region) {
        return regions.stream().map(Region::name).filter(r -> !r.equals(region)).toList();
    }
}
