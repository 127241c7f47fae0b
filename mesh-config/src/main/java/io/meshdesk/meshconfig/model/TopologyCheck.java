package io.meshdesk.meshconfig.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.meshdesk.meshconfig.model.MeshConfig.duration;
import static io.meshdesk.meshconfig.model.MeshConfig.millis;
import static io.meshdesk.meshconfig.model.MeshConfig.name;
import static io.meshdesk.meshconfig.model.MeshConfig.require;

/** What the topology must say before anything is rendered from it; the first problem found is thrown. */
final class TopologyCheck {

    private TopologyCheck() {}

    static void check(String file, Topology t) {
        name(file, "meshId", t.meshId());
        name(file, "namespace", t.namespace());
        require(file, "imageRegistry", t.imageRegistry());
        require(file, "configSecret", t.configSecret());
        if (t.jwt() == null) {
            throw new ConfigError(file, "jwt", "is required (issuer, jwksUri, tierClaim)");
        }
        require(file, "jwt.issuer", t.jwt().issuer());
        require(file, "jwt.jwksUri", t.jwt().jwksUri());
        require(file, "jwt.tierClaim", t.jwt().tierClaim());
        Topology.IngressGateway g = t.ingressGateway();
        if (g == null) {
            throw new ConfigError(
                    file,
                    "ingressGateway",
                    "is required: the name (Helm release and service account), "
                            + "namespace and labels of the ingress gateway terraform installs");
        }
        name(file, "ingressGateway.name", g.name());
        name(file, "ingressGateway.namespace", g.namespace());
        if (g.labels() == null || g.labels().isEmpty()) {
            throw new ConfigError(
                    file, "ingressGateway.labels", "is required: the labels that select the gateway's pods");
        }
        checkRegions(file, t);
        checkFunctions(file, t);
        checkDatastores(file, t);
    }

    private static void checkRegions(String file, Topology t) {
        if (t.regions() == null || t.regions().isEmpty()) {
            throw new ConfigError(file, "regions", "list at least one region");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < t.regions().size(); i++) {
            Topology.Region r = t.regions().get(i);
            String at = "regions[" + i + "]";
            name(file, at + ".name", r.name());
            require(file, at + ".cluster", r.cluster());
            require(file, at + ".network", r.network());
            require(file, at + ".ingressHost", r.ingressHost());
            require(file, at + ".tlsSecret", r.tlsSecret());
            if (!names.add(r.name())) {
                throw new ConfigError(file, at + ".name", "region " + r.name() + " is listed twice");
            }
        }
    }

    private static void checkFunctions(String file, Topology t) {
        if (t.functions() == null || t.functions().isEmpty()) {
            throw new ConfigError(file, "functions", "list at least one function");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < t.functions().size(); i++) {
            Topology.Function f = t.functions().get(i);
            String at = "functions[" + i + "]";
            name(file, at + ".name", f.name());
            // Two entries of one name would render to the same files, the second silently replacing the first.
            if (!seen.add(f.name())) {
                throw new ConfigError(file, at + ".name", "function " + f.name() + " is listed twice");
            }
        }
        Set<String> functions =
                t.functions().stream().map(Topology.Function::name).collect(Collectors.toSet());
        for (int i = 0; i < t.functions().size(); i++) {
            Topology.Function f = t.functions().get(i);
            String at = "functions[" + i + "]";
            if (f.name().endsWith("-premium") || f.name().endsWith("-canary")) {
                throw new ConfigError(
                        file,
                        at + ".name",
                        f.name() + " ends like a pool or a mirror target, whose "
                                + "Knative Services meshctl names itself; choose another name");
            }
            name(file, at + ".version", f.version());
            if (f.port() < 1 || f.port() > 65535) {
                throw new ConfigError(file, at + ".port", f.port() + " is not a port (1 to 65535)");
            }
            if (f.protocol() == null) {
                throw new ConfigError(file, at + ".protocol", "is required: http or grpc");
            }
            duration(file, at + ".timeout", f.timeout());
            if (millis(f.timeout()) > MeshConfig.MAX_TIMEOUT_SECONDS * 1000) {
                throw new ConfigError(
                        file,
                        at + ".timeout",
                        f.timeout() + " is longer than Knative's " + "max-revision-timeout-seconds ("
                                + MeshConfig.MAX_TIMEOUT_SECONDS + " s)");
            }
            if (f.retries() == null) {
                throw new ConfigError(file, at + ".retries", "is required (attempts 0 turns retries off)");
            }
            if (f.retries().attempts() < 0 || f.retries().attempts() > 10) {
                throw new ConfigError(
                        file, at + ".retries.attempts", f.retries().attempts() + " is not between 0 and 10");
            }
            if (f.retries().attempts() > 0) {
                duration(file, at + ".retries.perTryTimeout", f.retries().perTryTimeout());
                require(file, at + ".retries.retryOn", f.retries().retryOn());
            }
            if (f.autoscaling() == null
                    || f.autoscaling().minScale() < 0
                    || f.autoscaling().maxScale() < Math.max(1, f.autoscaling().minScale())) {
                throw new ConfigError(file, at + ".autoscaling", "needs 0 <= minScale <= maxScale and maxScale >= 1");
            }
            if (f.autoscaling().targetConcurrency() < 1) {
                throw new ConfigError(file, at + ".autoscaling.targetConcurrency", "must be at least 1");
            }
            if (f.premium() != null
                    && (f.premium().minScale() < 0
                            || f.premium().minScale() > f.autoscaling().maxScale())) {
                throw new ConfigError(
                        file,
                        at + ".premium.minScale",
                        "must be between 0 and maxScale (" + f.autoscaling().maxScale() + ")");
            }
            for (String caller : f.callerNames()) {
                if (!functions.contains(caller)) {
                    throw new ConfigError(file, at + ".callers", "names " + caller + ", which is not a function here");
                }
            }
        }
    }

    private static void checkDatastores(String file, Topology t) {
        Set<String> functions =
                t.functions().stream().map(Topology.Function::name).collect(Collectors.toSet());
        Set<String> seen = new HashSet<>();
        List<Topology.Datastore> stores = t.stores();
        for (int i = 0; i < stores.size(); i++) {
            Topology.Datastore d = stores.get(i);
            String at = "datastores[" + i + "]";
            name(file, at + ".name", d.name());
            if (!seen.add(d.name())) {
                throw new ConfigError(file, at + ".name", "datastore " + d.name() + " is listed twice");
            }
            if (d.selector() == null || d.selector().isEmpty()) {
                throw new ConfigError(file, at + ".selector", "is required: the labels of the store's pods");
            }
            if (d.ports() == null || d.ports().isEmpty()) {
                throw new ConfigError(file, at + ".ports", "list the ports the store listens on");
            }
            for (Integer p : d.ports()) {
                if (p == null || p < 1 || p > 65535) {
                    throw new ConfigError(file, at + ".ports", p + " is not a port (1 to 65535)");
                }
            }
            name(file, at + ".serviceAccount", d.serviceAccount());
            for (String client : d.clients() == null ? List.<String>of() : d.clients()) {
                if (!functions.contains(client)) {
                    throw new ConfigError(file, at + ".clients", "names " + client + ", which is not a function here");
                }
            }
        }
    }
}
