package io.meshdesk.observability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.identity.dev.DevCallers;
import io.meshdesk.identity.dev.DevIssuer;
import io.meshdesk.localservers.AlertmanagerServer;
import io.meshdesk.localservers.FunctionInstance;
import io.meshdesk.localservers.PrometheusServer;
import io.meshdesk.localservers.PrometheusServer.TargetGroup;
import io.meshdesk.meshconfig.canary.CanaryMetrics;
import io.meshdesk.meshconfig.canary.Check;
import io.meshdesk.meshconfig.canary.Decision;
import io.meshdesk.meshconfig.canary.Progress;
import io.meshdesk.meshconfig.canary.Verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole monitoring path on this machine: the packaged functions with their own etcd per
 * region, a regional Prometheus per region (cn-north with routing, chat and ticketing; us-east
 * with routing), the central Prometheus federating both, and Alertmanager behind it. With
 * traffic flowing, every dashboard panel's query must parse and return data through the
 * central server: a panel that shows nothing is a broken panel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardQueriesTest {

    private static final Duration DATA_DEADLINE = Duration.ofMinutes(3);
    private static final String SECRET = "observability-test-secret-at-least-32-bytes";

    private final List<AutoCloseable> running = new ArrayList<>();
    private PrometheusServer central;
    private AlertmanagerServer alertmanager;
    private Traffic traffic;
    private DevCallers callers;
    private Thread trafficThread;

    @BeforeAll
    void startEverything() throws Exception {
        Path work = Files.createTempDirectory("meshdesk-observability-");
        EtcdCluster etcdCn = started(EtcdCluster.single());
        EtcdCluster etcdUs = started(EtcdCluster.single());

        // The functions trust a development issuer whose keys are in the work directory; the
        // traffic signs its calls with them.
        Path keys = work.resolve("identity");
        callers = new DevCallers(DevIssuer.inDirectory(keys, DevIssuer.LOCAL_ISSUER));
        FunctionInstance ticketing = started(trusting(FunctionInstance.of(Repo.ROOT, "ticketing"), keys)
                .workDir(work)
                .property("meshdesk.data-dir", work.resolve("ticketing").toString())
                .property("meshdesk.ticketing.sla.urgent.first-response", "1s")
                .property("meshdesk.ticketing.sla-check-interval", "1s")
                .start());
        String sink = ticketing.url() + "/";
        FunctionInstance routingCn = started(function("routing", work, "cn-north", etcdCn)
                .property("K_SINK", sink)
                .property("meshdesk.events.only", "meshdesk.session.closed")
                .start());
        FunctionInstance routingUs =
                started(function("routing", work, "us-east", etcdUs).start());
        FunctionInstance chat = started(function("chat", work, "cn-north", etcdCn)
                .property("K_SINK", sink)
                .start());

        EnvoyStatsStandIn envoy = started(new EnvoyStatsStandIn());
        alertmanager = started(AlertmanagerServer.start(
                Repo.OBSERVABILITY.resolve("alertmanager/alertmanager.yml"), work.resolve("alertmanager")));
        List<TargetGroup> am = List.of(new TargetGroup(alertmanager.target(), Map.of()));

        PrometheusServer cn =
                started(PrometheusServer.regional(Repo.OBSERVABILITY, "cn-north", work.resolve("prom-cn")));
        cn.targets(
                "functions",
                List.of(
                        job(routingCn, "meshdesk-routing"),
                        job(chat, "meshdesk-chat"),
                        job(ticketing, "meshdesk-ticketing")));
        cn.targets("envoy", List.of(new TargetGroup(envoy.target(), Map.of())));
        cn.targets("alertmanagers", am);
        PrometheusServer us =
                started(PrometheusServer.regional(Repo.OBSERVABILITY, "us-east", work.resolve("prom-us")));
        us.targets("functions", List.of(job(routingUs, "meshdesk-routing")));
        us.targets("alertmanagers", am);
        central = started(PrometheusServer.central(Repo.OBSERVABILITY, work.resolve("prom-central")));
        central.targets(
                "regions",
                List.of(
                        new TargetGroup(cn.target(), Map.of("region", "cn-north")),
                        new TargetGroup(us.target(), Map.of("region", "us-east"))));
        central.targets("alertmanagers", am);
        central.targets("canary", List.of(new TargetGroup(canaryController(), Map.of())));

        traffic = new Traffic(routingCn.url(), routingUs.url(), chat.port(), ticketing.url(), callers);
        trafficThread = new Thread(traffic, "observability-traffic");
        trafficThread.start();
    }

    @Test
    void everyPanelReturnsDataThroughTheCentralPrometheus() {
        List<Dashboards.Query> queries = Dashboards.queries();
        assertThat(queries).hasSizeGreaterThan(25);
        await().atMost(DATA_DEADLINE).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            traffic.check();
            Map<String, String> missing = new LinkedHashMap<>();
            for (Dashboards.Query q : queries) {
                for (String region : List.of(".*", "cn-north")) {
                    String problem = problem(central.query(q.withRegion(region)));
                    if (problem != null) {
                        missing.put(q + " [region=~" + region + "]", problem);
                    }
                }
            }
            assertThat(missing)
                    .as("panels without data after %d rounds of traffic", traffic.rounds())
                    .isEmpty();
        });
    }

    @Test
    void theCanaryPanelsShowTheControllersDecisionLogAndChecksFromItsOwnMetrics() {
        Map<String, String> panels = new LinkedHashMap<>();
        for (Dashboards.Query q : Dashboards.queries()) {
            if (q.dashboard().equals("meshdesk / Mesh and canary")) {
                panels.merge(q.panel(), q.expr(), (x, y) -> x + "\n" + y);
            }
        }
        // The metric names are the controller's (CanaryMetrics), as Micrometer writes them for Prometheus.
        assertThat(panels.get("Canary decisions (the decision log)"))
                .contains(prometheusName(CanaryMetrics.LAST_DECISION));
        assertThat(panels.get("Canary checks (latest analysis)"))
                .contains(prometheusName(CanaryMetrics.CHECK_VALUE))
                .contains(prometheusName(CanaryMetrics.CHECK_VERDICT));
        assertThat(panels.get("Canary decisions per 5 minutes"))
                .contains(prometheusName(CanaryMetrics.DECISIONS) + "_total");

        String decisions = Dashboards.queries().stream()
                .filter(q -> q.panel().equals("Canary decisions (the decision log)"))
                .findFirst()
                .orElseThrow()
                .withRegion("cn-north");
        await().atMost(DATA_DEADLINE).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonNode latest = central.query(decisions);
            assertThat(latest)
                    .singleElement()
                    .satisfies(
                            r -> assertThat(r.at("/metric/decision").asText()).isEqualTo("advance"));
        });
        String verdicts = Dashboards.queries().stream()
                .filter(q -> q.expr().contains(prometheusName(CanaryMetrics.CHECK_VERDICT)))
                .findFirst()
                .orElseThrow()
                .withRegion("cn-north");
        JsonNode checks = central.query(verdicts);
        List<String> seen = new ArrayList<>();
        checks.forEach(c -> seen.add(
                c.at("/metric/check").asText() + " " + c.at("/metric/verdict").asText()));
        assertThat(seen).containsExactlyInAnyOrder("request-success-rate pass", "request-duration-p99-ms pass");
    }

    private static String prometheusName(String micrometerName) {
        return micrometerName.replace('.', '_');
    }

    @Test
    void theOtherRegionArrivesWithItsOwnLabelAndTheGlobalSeriesAddBothUp() {
        awaitData("meshdesk:routing_decisions:rate5m{region=\"us-east\"}");
        awaitData("meshdesk:session_route_requests:rate5m{region=\"us-east\"}");
        awaitData("meshdesk:session_route_errors:ratio_rate5m{region=\"global\"}");
        JsonNode regions = central.query("count by (region) (meshdesk:agents:sum)");
        List<String> seen = new ArrayList<>();
        regions.forEach(r -> seen.add(r.at("/metric/region").asText()));
        assertThat(seen).contains("cn-north", "us-east");
    }

    @Test
    void theWatchdogTravelsFromTheCentralPrometheusToAlertmanager() {
        await("Watchdog reached Alertmanager")
                .atMost(DATA_DEADLINE)
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> {
                    for (JsonNode a : alertmanager.alerts()) {
                        if (a.at("/labels/alertname").asText().equals("Watchdog")
                                && a.at("/labels/prometheus").asText().equals("central")) {
                            return true;
                        }
                    }
                    return false;
                });
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (traffic != null) {
            traffic.stop();
            trafficThread.join(30_000);
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private void awaitData(String promql) {
        await().atMost(DATA_DEADLINE)
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(problem(central.query(promql)))
                        .as("%s", promql)
                        .isNull());
    }

    /** Null when the result holds a real number; otherwise what a user would see instead. */
    private static String problem(JsonNode result) {
        if (result.isEmpty()) {
            return "no series";
        }
        for (JsonNode series : result) {
            String v = series.path("value").get(1).asText();
            if (!v.equals("NaN")) {
                return null;
            }
        }
        return "only NaN";
    }

    /**
     * The canary controller's metrics endpoint as {@code meshctl canary run --metrics-port} serves
     * it: routing's rollout in cn-north at its first step after a hold on no data, and promoted in
     * us-east, each with the decision log the cluster would hold.
     */
    private static String canaryController() {
        CanaryMetrics metrics = new CanaryMetrics();
        Instant t = Instant.now().minusSeconds(60);
        metrics.update(
                rollout(
                        "cn-north",
                        Progress.Status.progressing,
                        1,
                        List.of(
                                entry(t, 0, Decision.ADVANCE, "started: mirror phase at 5%", List.of()),
                                entry(
                                        t.plusSeconds(10),
                                        0,
                                        Decision.HOLD,
                                        "no data: weights held",
                                        checks(Verdict.NO_DATA, null, null)),
                                entry(
                                        t.plusSeconds(20),
                                        1,
                                        Decision.ADVANCE,
                                        "advanced from 0% to step 1 at 10%",
                                        checks(Verdict.PASS, 99.8, 42.0)))),
                10);
        metrics.update(
                rollout(
                        "us-east",
                        Progress.Status.promoted,
                        3,
                        List.of(
                                entry(t, 1, Decision.ADVANCE, "started: step 1 at 10%", List.of()),
                                entry(
                                        t.plusSeconds(30),
                                        3,
                                        Decision.ADVANCE,
                                        "promoted: routing-v2-1 takes 100%",
                                        checks(Verdict.PASS, 99.9, 38.0)))),
                100);
        return "127.0.0.1:" + metrics.serve("127.0.0.1", 0);
    }

    private static Progress.LogEntry entry(Instant at, int step, Decision d, String reason, List<Check> checks) {
        return new Progress.LogEntry(at, step, step * 10, d, reason, checks);
    }

    /** The two built-in checks with one verdict; a null value is a check without data. */
    private static List<Check> checks(Verdict verdict, Double successRate, Double p99) {
        return List.of(
                new Check("request-success-rate", "100 * ...", successRate, "min 99.0", 120, verdict, null),
                new Check("request-duration-p99-ms", "1000 * ...", p99, "max 500.0", 120, verdict, null));
    }

    private static Progress rollout(String region, Progress.Status status, int step, List<Progress.LogEntry> log) {
        return new Progress(
                "routing",
                region,
                "v2",
                status,
                step,
                0,
                false,
                "routing-v1-1",
                "routing-v2-1",
                Instant.now(),
                null,
                log);
    }

    /** The function verifies tokens with the issuer keys in {@code keys} and signs its events with them. */
    private static FunctionInstance.Builder trusting(FunctionInstance.Builder b, Path keys) {
        return b.property(
                        "mp.jwt.verify.publickey.location",
                        keys.resolve(DevIssuer.PUBLIC_KEYS).toString())
                .property(
                        "meshdesk.events.auth.signing-keys",
                        keys.resolve(DevIssuer.PRIVATE_KEYS).toString());
    }

    private FunctionInstance.Builder function(String name, Path work, String region, EtcdCluster etcd) {
        return trusting(FunctionInstance.of(Repo.ROOT, name), work.resolve("identity"))
                .workDir(work)
                .property("meshdesk.region", region)
                .property("meshdesk.etcd.endpoints", etcd.endpointsCsv())
                .property("meshdesk.session-token.secret", SECRET);
    }

    private static TargetGroup job(FunctionInstance f, String job) {
        return new TargetGroup(f.target(), Map.of("job", job));
    }

    private <T extends AutoCloseable> T started(T thing) {
        running.add(thing);
        return thing;
    }
}
