package io.meshdesk.meshconfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshdesk.localservers.FunctionInstance;
import io.meshdesk.localservers.PrometheusServer;
import io.meshdesk.meshconfig.canary.Analysis;
import io.meshdesk.meshconfig.canary.CanaryMetrics;
import io.meshdesk.meshconfig.canary.Prometheus;
import io.meshdesk.meshconfig.canary.Rollout;
import io.meshdesk.meshconfig.canary.SliQueries;
import io.meshdesk.meshconfig.canary.Webhooks;
import io.meshdesk.meshconfig.cluster.ClusterSync;
import io.meshdesk.meshconfig.model.Canary;
import io.meshdesk.meshconfig.model.MeshConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One canary rollout's world: a mock cluster (CRUD) with the rendered routing applied the way a
 * release engineer would (stable first, then with the canary file), a real Prometheus scraping
 * the stable and candidate routing instances every second, and the mesh's traffic between them.
 */
final class CanaryRig implements AutoCloseable {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    final List<String> regions;
    final MockClusters clusters;
    final Path scratch = Repo.scratchWithMirror();
    final Path canaryFile = scratch.resolve("mesh-config/canaries/routing-canary.yaml");
    final RoutingVersions.Version candidate;
    final MeshTraffic traffic;
    final Map<String, MeshTraffic> trafficIn = new LinkedHashMap<>();
    final KubernetesClient client;
    final List<String> said = new CopyOnWriteArrayList<>();
    final Canary canary;
    final PrometheusServer prometheus;

    static final int REQUESTS_PER_SECOND = 60;

    /** The checks with a P99 gate of one second, which a version 1.5 s late fails whatever the machine's load. */
    static final List<Map<String, Object>> LATENCY_GATE = List.of(
            Map.of("name", "request-success-rate", "min", 95.0, "minSamples", 10),
            Map.of("name", "request-duration-p99-ms", "max", 1000.0, "minSamples", 10));

    CanaryRig(
            PrometheusServer prometheus,
            RoutingVersions versions,
            String version,
            Map<String, Object> analysis,
            boolean traffic) {
        this(prometheus, versions, version, analysis, traffic, List.of("cn-north"));
    }

    /**
     * The instances are those of the versions started for the class (stable v1 and this
     * candidate); a candidate version with none started (or no versions at all, and then no
     * Prometheus either) gets no requests. With traffic,
     * the rig returns once Prometheus has the candidate's requests, so the first analysis has data.
     */
    CanaryRig(
            PrometheusServer prometheus,
            RoutingVersions versions,
            String version,
            Map<String, Object> analysis,
            boolean traffic,
            List<String> regions) {
        this.prometheus = prometheus;
        this.regions = regions;
        this.clusters = new MockClusters(regions, Map.of());
        this.client = clusters.client(regions.get(0));
        Repo.delete(scratch.resolve("mesh-config/canaries/routing-v2.yaml"));
        assertThat(Repo.meshctl(Repo.at(scratch, "render")).exitCode()).isZero();
        for (String region : regions) {
            assertThat(Repo.meshctl(clusters.args(scratch, "apply", "--region", region))
                            .exitCode())
                    .isZero();
            // Knative would create the stable revision from the applied template.
            try (KubernetesClient c = clusters.client(region)) {
                clusters.revision(region, templateName(c));
            }
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("function", "routing");
        file.put("regions", regions);
        file.put("stableVersion", "v1");
        file.put("canaryVersion", version);
        file.put("analysis", analysis);
        file.put("step", 0);
        try {
            Files.writeString(canaryFile, YAML.writeValueAsString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Repo.Run render = Repo.meshctl(Repo.at(scratch, "render"));
        assertThat(render.exitCode()).as(render.output()).isZero();
        for (String region : regions) {
            Repo.Run apply = Repo.meshctl(clusters.args(scratch, "apply", "--region", region));
            assertThat(apply.exitCode()).as(apply.output()).isZero();
        }
        canary = MeshConfig.loadCanary(
                canaryFile,
                MeshConfig.load(scratch.resolve("mesh-config/topology.yaml"), scratch.resolve("mesh-config/canaries"))
                        .topology());
        candidate = versions != null && versions.has(version) ? versions.get(version) : null;
        FunctionInstance stable = candidate != null ? versions.get("v1").serving() : null;
        if (candidate != null) {
            List<PrometheusServer.TargetGroup> targets = new ArrayList<>();
            for (FunctionInstance i : new FunctionInstance[] {stable, candidate.serving(), candidate.mirror()}) {
                if (i != null) {
                    targets.add(new PrometheusServer.TargetGroup(i.target(), Map.of("job", "meshdesk-routing")));
                }
            }
            prometheus.targets("functions", targets);
        }
        for (String region : regions) {
            MeshTraffic t = new MeshTraffic(
                    region.equals(regions.get(0)) ? client : clusters.client(region),
                    version,
                    stable,
                    candidate,
                    REQUESTS_PER_SECOND);
            t.sending.set(traffic);
            trafficIn.put(region, t);
        }
        this.traffic = trafficIn.get(regions.get(0));
        if (traffic) {
            String samples = "sum(increase(http_server_requests_seconds_count{version=\"" + version + "\"}[3s]))";
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        var r = prometheus.query(samples);
                        return !r.isEmpty() && r.get(0).path("value").path(1).asDouble() >= 20;
                    });
        }
    }

    /**
     * The usual analysis of these tests: intervals of seconds, two failures roll back. The P99
     * gate here is 5 s (a bucket bound of http_server_requests_seconds) because the instances share
     * two cores with whatever else the machine builds: at a load of 25 a good version's slowest
     * request of an interval (P99 of a few dozen is that one) has taken over 2 s. The latency gate
     * proper is {@link #LATENCY_GATE}, against a version that adds 1.5 s to every request.
     */
    static Map<String, Object> analysis(Object... extra) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("interval", "3s");
        a.put("threshold", 2);
        a.put("stepWeights", List.of(20, 50));
        a.put("mirrorPercentage", 50);
        a.put("source", "functions");
        a.put(
                "metrics",
                new ArrayList<>(List.of(
                        Map.of("name", "request-success-rate", "min", 95.0, "minSamples", 10),
                        Map.of("name", "request-duration-p99-ms", "max", 5000.0, "minSamples", 10))));
        for (int i = 0; i < extra.length; i += 2) {
            a.put((String) extra[i], extra[i + 1]);
        }
        return a;
    }

    /** A webhook of the analysis: its name, type, and a path of a loopback server. */
    static Map<String, Object> webhook(String name, String type, HttpServer server, String path) {
        Map<String, Object> hook = new LinkedHashMap<>();
        hook.put("name", name);
        hook.put("type", type);
        hook.put("url", "http://127.0.0.1:" + server.getAddress().getPort() + path);
        return hook;
    }

    /**
     * A real regional Prometheus in local-servers' layout, scraping the functions' targets file
     * every second so intervals of seconds have data (it has none until targets are set).
     */
    static PrometheusServer prometheus() {
        try {
            Path obs = Files.createTempDirectory("canary-obs-");
            Files.createDirectories(obs.resolve("prometheus/local"));
            Files.createDirectories(obs.resolve("prometheus/rules"));
            Map<String, Object> config = Map.of(
                    "global", Map.of("scrape_interval", "1s", "evaluation_interval", "1s"),
                    "scrape_configs",
                            List.of(Map.of(
                                    "job_name",
                                    "meshdesk-functions",
                                    "metrics_path",
                                    "/q/metrics",
                                    "file_sd_configs",
                                    List.of(Map.of(
                                            "files", List.of("targets/functions.json"), "refresh_interval", "1s")))));
            Files.writeString(obs.resolve("prometheus/local/regional.yml"), YAML.writeValueAsString(config));
            return PrometheusServer.regional(obs, "cn-north", Files.createTempDirectory("canary-prom-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    final CanaryMetrics metrics = new CanaryMetrics();

    Rollout rollout() {
        return new Rollout(
                        canary,
                        "cn-north",
                        client,
                        "meshdesk",
                        new Analysis(new Prometheus(prometheus.url()), SliQueries.load()),
                        new Webhooks(),
                        Clock.systemUTC(),
                        said::add)
                .withMetrics(metrics);
    }

    /** meshctl's arguments for this rig's sources, the cluster left to $KUBECONFIG ({@link #kubeconfig()}). */
    String[] sources(String... args) {
        return Repo.at(scratch, args);
    }

    /** The environment of a shell whose kubeconfig reaches this rig's clusters. */
    Map<String, String> kubeconfig() {
        return Map.of("KUBECONFIG", clusters.kubeconfig.toString());
    }

    /** meshctl canary analyze's arguments for this rig's canary in cn-north: that Prometheus, that step. */
    String[] analyze(String prometheusUrl, String step, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "canary",
                "analyze",
                canaryFile.toString(),
                "--region",
                "cn-north",
                "--prometheus",
                prometheusUrl,
                "--step",
                step));
        args.addAll(List.of(more));
        return meshctl(args.toArray(String[]::new));
    }

    /** meshctl's arguments for this rig's cluster and sources. */
    String[] meshctl(String... args) {
        return clusters.args(scratch, args);
    }

    String templateName() {
        return templateName(client);
    }

    @SuppressWarnings("unchecked")
    static String templateName(KubernetesClient client) {
        GenericKubernetesResource svc = client.genericKubernetesResources(kind())
                .inNamespace("meshdesk")
                .withName("routing")
                .get();
        return (String) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                                        svc.getAdditionalProperties().get("spec"))
                                .get("template"))
                        .get("metadata"))
                .get("name");
    }

    private static io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind() {
        return ClusterSync.KINDS.stream()
                .filter(k -> k.getKind().equals("Service"))
                .findFirst()
                .orElseThrow();
    }

    @Override
    public void close() {
        trafficIn.values().forEach(MeshTraffic::close);
        client.close();
        clusters.close();
    }
}
