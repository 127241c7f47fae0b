package io.meshdesk.meshconfig.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The two sources of the mesh, read and checked: the topology and the canaries. */
public record MeshConfig(Topology topology, List<Canary> canaries) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Pattern DURATION = Pattern.compile("\\d+(ms|s|m|h)");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    public static MeshConfig load(Path topologyFile, Path canariesDir) {
        Topology topology = read(topologyFile, Topology.class);
        check(topologyFile.toString(), topology);
        List<Canary> canaries = new ArrayList<>();
        if (Files.isDirectory(canariesDir)) {
            try (Stream<Path> files = Files.list(canariesDir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .sorted().toList()) {
                    Canary c = read(f, Canary.class);
                    c = new Canary(f.toString(), c.function(), c.regions(), c.stableVersion(), c.canaryVersion(),
                            c.analysis(), c.step());
                    check(c, topology);
                    canaries.add(c);
                }
            } catch (IOException e) {
                throw new ConfigError(canariesDir.toString(), null, "cannot list canaries: " + e.getMessage());
            }
        }
        Set<String> seen = new HashSet<>();
        for (Canary c : canaries) {
            if (!seen.add(c.function())) {
                throw new ConfigError(c.file(), "function", "function " + c.function()
                        + " already has a canary in another file; one rollout per function at a time");
            }
        }
        return new MeshConfig(topology, canaries);
    }

    private static <T> T read(Path file, Class<T> type) {
        try {
            T value = YAML.readValue(file.toFile(), type);
            if (value == null) {
                throw new ConfigError(file.toString(), null, "the file is empty");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigError(file.toString(), path(e), "unknown field '" + e.getPropertyName()
                    + "'; known fields here: " + e.getKnownPropertyIds());
        } catch (JsonMappingException e) {
            String problem = e.getOriginalMessage().startsWith("Cannot map `null`") ? "is required"
                    : e.getOriginalMessage();
            throw new ConfigError(file.toString(), path(e), problem);
        } catch (IOException e) {
            throw new ConfigError(file.toString(), null, "cannot read it: " + e.getMessage());
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static void check(String file, Topology t) {
        require(file, "meshId", t.meshId());
        require(file, "namespace", t.namespace());
        require(file, "imageRegistry", t.imageRegistry());
        require(file, "configSecret", t.configSecret());
        if (t.jwt() == null) {
            throw new ConfigError(file, "jwt", "is required (issuer, jwksUri, roleClaim)");
        }
        require(file, "jwt.issuer", t.jwt().issuer());
        require(file, "jwt.jwksUri", t.jwt().jwksUri());
        require(file, "jwt.roleClaim", t.jwt().roleClaim());
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
        if (t.functions() == null || t.functions().isEmpty()) {
            throw new ConfigError(file, "functions", "list at least one function");
        }
        Set<String> functions = t.functions().stream().map(Topology.Function::name).collect(Collectors.toSet());
        for (int i = 0; i < t.functions().size(); i++) {
            Topology.Function f = t.functions().get(i);
            String at = "functions[" + i + "]";
            name(file, at + ".name", f.name());
            name(file, at + ".version", f.version());
            if (f.port() < 1 || f.port() > 65535) {
                throw new ConfigError(file, at + ".port", f.port() + " is not a port (1 to 65535)");
            }
            if (f.protocol() == null) {
                throw new ConfigError(file, at + ".protocol", "is required: http or grpc");
            }
            duration(file, at + ".timeout", f.timeout());
            if (f.retries() == null) {
                throw new ConfigError(file, at + ".retries", "is required (attempts 0 turns retries off)");
            }
            if (f.retries().attempts() > 0) {
                duration(file, at + ".retries.perTryTimeout", f.retries().perTryTimeout());
            }
            if (f.autoscaling() == null || f.autoscaling().maxScale() < Math.max(1, f.autoscaling().minScale())) {
                throw new ConfigError(file, at + ".autoscaling", "needs minScale <= maxScale and maxScale >= 1");
            }
            for (String caller : f.callers() == null ? List.<String>of() : f.callers()) {
                if (!functions.contains(caller)) {
                    throw new ConfigError(file, at + ".callers", "names " + caller + ", which is not a function here");
                }
            }
        }
    }

    private static void check(Canary c, Topology t) {
        String file = c.file();
        require(file, "function", c.function());
        Topology.Function f = t.function(c.function()).orElseThrow(() -> new ConfigError(file, "function",
                "unknown function " + c.function() + "; the topology has " + t.functions().stream()
                        .map(Topology.Function::name).toList()));
        if (c.regions() == null || c.regions().isEmpty()) {
            throw new ConfigError(file, "regions", "list the regions the rollout runs in");
        }
        for (String r : c.regions()) {
            if (t.region(r).isEmpty()) {
                throw new ConfigError(file, "regions", "unknown region " + r);
            }
        }
        name(file, "stableVersion", c.stableVersion());
        name(file, "canaryVersion", c.canaryVersion());
        if (!c.stableVersion().equals(f.version())) {
            throw new ConfigError(file, "stableVersion", c.stableVersion() + " is not the version the topology runs ("
                    + f.version() + "); a canary starts from what is live");
        }
        if (c.stableVersion().equals(c.canaryVersion())) {
            throw new ConfigError(file, "canaryVersion", "equals stableVersion; a canary needs a new version");
        }
        Canary.Analysis a = c.analysis();
        if (a == null) {
            throw new ConfigError(file, "analysis", "is required");
        }
        duration(file, "analysis.interval", a.interval());
        percent(file, "analysis.stepWeight", a.stepWeight(), 1);
        percent(file, "analysis.maxWeight", a.maxWeight(), 1);
        percent(file, "analysis.mirrorPercentage", a.mirrorPercentage(), 0);
        if (a.stepWeight() > a.maxWeight()) {
            throw new ConfigError(file, "analysis.stepWeight", a.stepWeight() + " is more than maxWeight "
                    + a.maxWeight());
        }
        if (a.threshold() < 1) {
            throw new ConfigError(file, "analysis.threshold", "must be at least 1 (failed checks before rollback)");
        }
        if (c.step() < 0) {
            throw new ConfigError(file, "step", "must be 0 or more");
        }
    }

    private static void percent(String file, String field, int value, int min) {
        if (value < min || value > 100) {
            throw new ConfigError(file, field, value + " is not a weight between " + min + " and 100");
        }
    }

    private static void require(String file, String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigError(file, field, "is required");
        }
    }

    private static void name(String file, String field, String value) {
        require(file, field, value);
        if (!NAME.matcher(value).matches()) {
            throw new ConfigError(file, field, "'" + value + "' is not a DNS label (lowercase letters, digits, -)");
        }
    }

    private static void duration(String file, String field, String value) {
        if (value == null || !DURATION.matcher(value).matches()) {
            throw new ConfigError(file, field, "'" + value + "' is not a duration like 500ms, 5s, 1m or 1h");
        }
    }
}
