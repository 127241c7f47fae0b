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

/** The two sources of the mesh, read and checked: the topology and the canaries. */
public record MeshConfig(Topology topology, List<Canary> canaries) {

    /** A duration as the topology and canaries write it, and as Istio and Knative accept it. */
    public static final Pattern DURATION = Pattern.compile("\\d+(ms|s|m|h)");

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /** The built-in request checks of a canary's analysis (observability/sli/request-slis.yml). */
    public static final List<String> BUILT_IN_CHECKS = List.of("request-success-rate", "request-duration-p99-ms");
    /** Knative cuts a request after max-revision-timeout-seconds; terraform sets it to 3600. */
    static final long MAX_TIMEOUT_SECONDS = 3600;

    public static MeshConfig load(Path topologyFile, Path canariesDir) {
        if (!Files.isRegularFile(topologyFile)) {
            throw new ConfigError(
                    topologyFile.toString(),
                    null,
                    "does not exist; pass --topology with the "
                            + "topology file (run meshctl from the repository root for the default)");
        }
        Topology topology = StrictYaml.read(topologyFile, Topology.class);
        TopologyCheck.check(topologyFile.toString(), topology);
        if (!Files.isDirectory(canariesDir)) {
            // A misspelt folder must not silently render no canary: the next apply would roll a live one back.
            throw new ConfigError(
                    canariesDir.toString(),
                    null,
                    "the canaries folder does not exist; pass --canaries "
                            + "with an existing folder (an empty folder means no rollout runs)");
        }
        List<Canary> canaries = new ArrayList<>();
        try (Stream<Path> files = Files.list(canariesDir)) {
            for (Path f : files.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList()) {
                Canary c = StrictYaml.read(f, Canary.class);
                c = new Canary(
                        f.toString(),
                        c.function(),
                        c.regions(),
                        c.stableVersion(),
                        c.canaryVersion(),
                        c.analysis(),
                        c.step());
                check(c, topology);
                canaries.add(c);
            }
        } catch (IOException e) {
            throw new ConfigError(canariesDir.toString(), null, "cannot list canaries: " + e.getMessage());
        }
        Set<String> seen = new HashSet<>();
        for (Canary c : canaries) {
            if (!seen.add(c.function())) {
                throw new ConfigError(
                        c.file(),
                        "function",
                        "function " + c.function()
                                + " already has a canary in another file; one rollout per function at a time");
            }
        }
        return new MeshConfig(topology, canaries);
    }

    /** The canary that covers a function in a region, if one does. */
    public java.util.Optional<Canary> canary(String function, String region) {
        return canaries.stream()
                .filter(c -> c.function().equals(function) && c.covers(region))
                .findFirst();
    }

    /** Reads one canary file on its own, checked against the topology (the canary controller's input). */
    public static Canary loadCanary(Path file, Topology topology) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigError(file.toString(), null, "does not exist; name a canary file");
        }
        Canary c = StrictYaml.read(file, Canary.class);
        c = new Canary(
                file.toString(),
                c.function(),
                c.regions(),
                c.stableVersion(),
                c.canaryVersion(),
                c.analysis(),
                c.step());
        check(c, topology);
        return c;
    }

    static void check(Canary c, Topology t) {
        String file = c.file();
        require(file, "function", c.function());
        Topology.Function f = t.function(c.function())
                .orElseThrow(() -> new ConfigError(
                        file,
                        "function",
                        "unknown function " + c.function() + "; the topology has "
                                + t.functions().stream()
                                        .map(Topology.Function::name)
                                        .toList()));
        if (c.regions() == null || c.regions().isEmpty()) {
            throw new ConfigError(file, "regions", "list the regions the rollout runs in");
        }
        Set<String> regions = new HashSet<>();
        for (String r : c.regions()) {
            if (t.region(r).isEmpty()) {
                throw new ConfigError(
                        file,
                        "regions",
                        "unknown region " + r + "; the topology has "
                                + t.regions().stream()
                                        .map(Topology.Region::name)
                                        .toList());
            }
            if (!regions.add(r)) {
                throw new ConfigError(file, "regions", "region " + r + " is listed twice");
            }
        }
        name(file, "stableVersion", c.stableVersion());
        name(file, "canaryVersion", c.canaryVersion());
        if (!c.stableVersion().equals(f.version())) {
            throw new ConfigError(
                    file,
                    "stableVersion",
                    c.stableVersion() + " is not the version the topology runs (" + f.version()
                            + "); a canary starts from what is live");
        }
        if (c.stableVersion().equals(c.canaryVersion())) {
            throw new ConfigError(file, "canaryVersion", "equals stableVersion; a canary needs a new version");
        }
        Canary.Analysis a = c.analysis();
        if (a == null) {
            throw new ConfigError(file, "analysis", "is required");
        }
        duration(file, "analysis.interval", a.interval());
        if (a.progressDeadline() != null) {
            duration(file, "analysis.progressDeadline", a.progressDeadline());
        }
        if (a.stepWeights() != null && !a.stepWeights().isEmpty()) {
            int previous = 0;
            for (int i = 0; i < a.stepWeights().size(); i++) {
                Integer w = a.stepWeights().get(i);
                percent(file, "analysis.stepWeights[" + i + "]", w == null ? -1 : w, 1);
                if (w <= previous) {
                    throw new ConfigError(
                            file,
                            "analysis.stepWeights[" + i + "]",
                            w + " does not grow from the step " + "before (" + previous
                                    + "); each step must send more traffic to the canary");
                }
                previous = w;
            }
            if (a.stepWeight() != null) {
                throw new ConfigError(file, "analysis.stepWeight", "give stepWeight or stepWeights, not both");
            }
        } else {
            if (a.stepWeight() == null) {
                throw new ConfigError(file, "analysis.stepWeight", "is required (or list stepWeights)");
            }
            if (a.maxWeight() == null) {
                throw new ConfigError(file, "analysis.maxWeight", "is required with stepWeight");
            }
            percent(file, "analysis.stepWeight", a.stepWeight(), 1);
            percent(file, "analysis.maxWeight", a.maxWeight(), 1);
            if (a.stepWeight() > a.maxWeight()) {
                throw new ConfigError(
                        file, "analysis.stepWeight", a.stepWeight() + " is more than maxWeight " + a.maxWeight());
            }
        }
        percent(file, "analysis.mirrorPercentage", a.mirrorPercentage(), 0);
        if (a.mirrorPercentage() > 0 && (f.mirror() == null || f.mirror() == Topology.Mirror.none)) {
            throw new ConfigError(
                    file,
                    "analysis.mirrorPercentage",
                    c.function() + " cannot be mirrored: its "
                            + "mirrored requests would write a second time and it has no shadow mode (topology mirror: "
                            + (f.mirror() == null ? "none" : f.mirror()) + "); set mirrorPercentage: 0 (the rollout "
                            + "then starts at its first weighted step), or give " + c.function() + " a shadow mode "
                            + "(meshdesk.shadow.supported=true) and topology mirror: shadow");
        }
        if (a.mirrorPercentage() > 0 && !f.isPublic()) {
            // meshdesk mirrors only on routes it owns, the public ingress hosts; net-istio mirrors nothing.
            throw new ConfigError(
                    file,
                    "analysis.mirrorPercentage",
                    c.function() + " is not public: no route "
                            + "meshdesk owns carries its requests, so nothing can mirror them; set mirrorPercentage: 0");
        }
        if (a.threshold() < 1) {
            throw new ConfigError(file, "analysis.threshold", "must be at least 1 (failed checks before rollback)");
        }
        for (int i = 0; i < a.checks().size(); i++) {
            Canary.Metric m = a.checks().get(i);
            String at = "analysis.metrics[" + i + "]";
            require(file, at + ".name", m.name());
            if (!BUILT_IN_CHECKS.contains(m.name()) && !m.name().matches("[a-z_]+:[a-z0-9_]+:[a-z0-9_]+")) {
                String near = StrictYaml.nearest(m.name(), BUILT_IN_CHECKS);
                throw new ConfigError(
                        file,
                        at + ".name",
                        "unknown check '" + m.name() + "'"
                                + (near == null ? "" : " (did you mean " + near + "?)") + "; use " + BUILT_IN_CHECKS
                                + " or the name of an SLI recording rule (meshdesk:<what>:<how>)");
            }
            if (m.maxDegradation() != null && !BUILT_IN_CHECKS.contains(m.name())) {
                throw new ConfigError(
                        file,
                        at + ".maxDegradation",
                        "compares a version with the stable one; " + "only the built-in checks " + BUILT_IN_CHECKS
                                + " are per version");
            }
            if (m.min() == null && m.max() == null && m.maxDegradation() == null) {
                throw new ConfigError(
                        file, at, "give min, max or maxDegradation; a check without a threshold " + "passes anything");
            }
            if (m.min() != null && m.max() != null && m.min() > m.max()) {
                throw new ConfigError(file, at + ".min", m.min() + " is more than max " + m.max());
            }
            if (m.minSamples() != null && m.minSamples() < 0) {
                throw new ConfigError(file, at + ".minSamples", "must be 0 or more");
            }
            if (m.maxDegradation() != null && m.maxDegradation() < 0) {
                throw new ConfigError(file, at + ".maxDegradation", "must be 0 or more");
            }
        }
        for (int i = 0; i < a.hooks().size(); i++) {
            Canary.Webhook w = a.hooks().get(i);
            String at = "analysis.webhooks[" + i + "]";
            require(file, at + ".name", w.name());
            require(file, at + ".url", w.url());
            if (w.type() == null) {
                throw new ConfigError(file, at + ".type", "is required: preRollout or confirmPromotion");
            }
            if (w.timeout() != null) {
                duration(file, at + ".timeout", w.timeout());
            }
        }
        if (c.step() < 0) {
            throw new ConfigError(file, "step", "must be 0 or more");
        }
    }

    static void percent(String file, String field, int value, int min) {
        if (value < min || value > 100) {
            throw new ConfigError(file, field, value + " is not a weight between " + min + " and 100");
        }
    }

    static void require(String file, String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigError(file, field, "is required");
        }
    }

    static void name(String file, String field, String value) {
        require(file, field, value);
        if (!NAME.matcher(value).matches()) {
            throw new ConfigError(file, field, "'" + value + "' is not a DNS label (lowercase letters, digits, -)");
        }
    }

    static void duration(String file, String field, String value) {
        if (value == null || !DURATION.matcher(value).matches()) {
            throw new ConfigError(file, field, "'" + value + "' is not a duration like 500ms, 5s, 1m or 1h");
        }
    }

    /** A duration in milliseconds (it has been checked against DURATION). */
    public static long millis(String duration) {
        long n = Long.parseLong(duration.replaceAll("[a-z]+$", ""));
        return switch (duration.replaceAll("^\\d+", "")) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 1000;
        };
    }

    static String names(List<String> names) {
        return names.stream().collect(Collectors.joining(", ", "[", "]"));
    }
}
