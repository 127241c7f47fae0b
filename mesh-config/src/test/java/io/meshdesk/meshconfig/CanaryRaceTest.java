package io.meshdesk.meshconfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpServer;

import io.meshdesk.localservers.PrometheusServer;
import io.meshdesk.meshconfig.canary.Analysis;
import io.meshdesk.meshconfig.canary.Decision;
import io.meshdesk.meshconfig.canary.Progress;
import io.meshdesk.meshconfig.canary.ProgressStore;
import io.meshdesk.meshconfig.canary.Prometheus;
import io.meshdesk.meshconfig.canary.Rollout;
import io.meshdesk.meshconfig.canary.SliQueries;
import io.meshdesk.meshconfig.canary.Webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Regression (seen once in four full runs of CanaryControllerTest): a command from another
 * machine that landed while the controller was deciding was overwritten by the decision, which
 * had read the progress before it. Here the command lands at exactly that moment, every time:
 * the controller's preRollout webhook (called on a no-data hold, between its read and its write)
 * runs it.
 */
@Timeout(60)
class CanaryRaceTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static PrometheusServer prometheus;
    private final AtomicInteger hookCalls = new AtomicInteger();
    private final AtomicReference<Runnable> onSecondCall = new AtomicReference<>(() -> {});
    private HttpServer hook;

    private CanaryRig rig() throws IOException {
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/load", ex -> {
            // Call 1 is the rollout's start; call 2 comes from inside the first decision.
            if (hookCalls.incrementAndGet() == 2) {
                onSecondCall.get().run();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        return new CanaryRig(
                null,
                null,
                "v8",
                CanaryRig.analysis("webhooks", List.of(CanaryRig.webhook("load", "preRollout", hook, "/load"))),
                false);
    }

    /** A controller whose Prometheus has no data: every check is no-data, so every decision holds. */
    private static Rollout controller(CanaryRig rig) {
        return new Rollout(
                rig.canary,
                "cn-north",
                rig.client,
                "meshdesk",
                new Analysis(new Prometheus(prometheus.url()), SliQueries.load()),
                new Webhooks(),
                Clock.systemUTC(),
                said -> {});
    }

    @BeforeAll
    static void emptyPrometheus() {
        prometheus = CanaryRig.prometheus();
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @AfterEach
    void stopHook() {
        if (hook != null) {
            hook.stop(0);
        }
    }

    @Test
    void anAbortThatLandsWhileTheControllerDecidesStaysAbortedAndTheRoutesStayOnStable() throws IOException {
        try (CanaryRig rig = rig()) {
            onSecondCall.set(() -> Repo.meshctl(rig.meshctl("canary", "abort", rig.canaryFile.toString())));
            Rollout controller = controller(rig);
            controller.start();
            Progress after = controller.tick();

            assertThat(hookCalls.get()).isEqualTo(2);
            assertThat(after.status()).isEqualTo(Progress.Status.aborted);
            Progress stored =
                    new ProgressStore(rig.client, "meshdesk").read("routing").orElseThrow();
            assertThat(stored.status()).isEqualTo(Progress.Status.aborted);
            // The hold the controller had decided on was dropped, not written over the abort.
            assertThat(stored.log())
                    .extracting(Progress.LogEntry::decision)
                    .containsExactly(Decision.ADVANCE, Decision.ROLLBACK);
            assertThat(stored.log().get(1).reason()).startsWith("aborted by");
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(rig.traffic.seen).last().isEqualTo(new MeshTraffic.Routing(0, 0)));
        }
    }

    @Test
    void aPauseThatLandsWhileTheControllerDecidesIsKeptAndTheDecisionIsMadeAgainPaused() throws IOException {
        try (CanaryRig rig = rig()) {
            onSecondCall.set(() -> Repo.meshctl(rig.meshctl("canary", "pause", rig.canaryFile.toString())));
            Rollout controller = controller(rig);
            controller.start();
            Progress after = controller.tick();

            assertThat(after.paused()).isTrue();
            Progress stored =
                    new ProgressStore(rig.client, "meshdesk").read("routing").orElseThrow();
            assertThat(stored.paused()).isTrue();
            assertThat(stored.log())
                    .extracting(Progress.LogEntry::reason)
                    .satisfiesExactly(
                            started -> assertThat(started).startsWith("started: mirror phase at 50%"),
                            paused -> assertThat(paused).startsWith("paused by"),
                            held -> assertThat(held).isEqualTo("paused: weights held, checks logged"));
        }
    }
}
