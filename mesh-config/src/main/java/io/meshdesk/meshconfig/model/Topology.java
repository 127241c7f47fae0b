package io.meshdesk.meshconfig.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;

/** mesh-config/topology.yaml: the regions, the functions and how requests reach them. */
public record Topology(
        String meshId,
        String namespace,
        String imageRegistry,
        String configSecret,
        Jwt jwt,
        IngressGateway ingressGateway,
        List<Region> regions,
        List<Function> functions,
        List<Datastore> datastores) {

    /** The JWT issuer whose verified claim says which customers are premium. */
    public record Jwt(String issuer, String jwksUri, String tierClaim) {}

    /**
     * The regional ingress gateway that terraform installs with Istio's Helm {@code gateway}
     * chart: the release name is also its service account, so this one entry gives both the
     * workload selector and the principal the AuthorizationPolicies allow. terraform reads it
     * from this file (envs/two-region), so the two cannot disagree.
     */
    public record IngressGateway(String name, String namespace, Map<String, String> labels) {

        public String principal() {
            return "cluster.local/ns/" + namespace + "/sa/" + name;
        }
    }

    /** One region: its cluster (kube context), Istio network and public ingress host. */
    public record Region(String name, String cluster, String network, String ingressHost, String tlsSecret) {}

    /** A function: a Knative Service per region (and per premium pool), an ingress route when public. */
    public record Function(
            String name,
            String version,
            int port,
            Protocol protocol,
            @JsonProperty("public") boolean isPublic,
            List<String> callers,
            String timeout,
            Retries retries,
            Mirror mirror,
            Autoscaling autoscaling,
            Premium premium) {

        public Optional<Premium> premiumPool() {
            return Optional.ofNullable(premium);
        }

        public List<String> callerNames() {
            return callers == null ? List.of() : callers;
        }
    }

    public enum Protocol {
        http,
        grpc
    }

    /**
     * What a canary's mirror phase may do with this function's requests: {@code plain} mirrors
     * them as they are (the function writes nothing), {@code shadow} mirrors them only to a
     * candidate running with meshdesk.shadow=true (it decides and answers but commits nothing),
     * {@code none} refuses the mirror phase (the requests would write twice).
     */
    public enum Mirror {
        plain,
        shadow,
        none
    }

    public record Retries(int attempts, String perTryTimeout, String retryOn) {}

    public record Autoscaling(int minScale, int maxScale, int targetConcurrency) {}

    /** A dedicated pool for premium customers, with its own minimum scale. */
    public record Premium(int minScale) {}

    /**
     * A store inside the meshdesk namespace (etcd, PostgreSQL) that terraform installs: its pods'
     * labels, its ports, its own service account (members talk to each other), the functions
     * that may reach it, and platform principals (an operator) that must.
     */
    public record Datastore(
            String name,
            Map<String, String> selector,
            List<Integer> ports,
            String serviceAccount,
            List<String> clients,
            List<String> platformPrincipals) {}

    public Optional<Function> function(String name) {
        return functions.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public Optional<Region> region(String name) {
        return regions.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public List<Datastore> stores() {
        return datastores == null ? List.of() : datastores;
    }

    /** The principal of a service account in the meshdesk namespace. */
    public String principal(String serviceAccount) {
        return "cluster.local/ns/" + namespace + "/sa/" + serviceAccount;
    }

    /** The Knative Services (and so service accounts) a function runs as in a region: itself, its pool. */
    public List<String> workloads(Function f) {
        List<String> out = new ArrayList<>(List.of(f.name()));
        f.premiumPool().ifPresent(p -> out.add(f.name() + "-premium"));
        return out;
    }
}
