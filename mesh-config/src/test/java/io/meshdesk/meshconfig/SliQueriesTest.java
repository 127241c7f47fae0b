package io.meshdesk.meshconfig;

import org.junit.jupiter.api.Test;

import io.meshdesk.meshconfig.canary.SliQueries;
import io.meshdesk.meshconfig.model.Canary;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact PromQL the canary checks run, from the one SLI source (golden strings, as Flagger pins its own). */
class SliQueriesTest {

    static final SliQueries SLI = SliQueries.load();

    private static String q(Canary.Source source, String name) {
        return SLI.render(source, name, "routing", "v2", "meshdesk", "1m");
    }

    @Test
    void functionsSource() {
        assertThat(q(Canary.Source.functions, "requests"))
                .isEqualTo(
                        "sum(increase(http_server_requests_seconds_count{function=\"routing\",version=\"v2\"}[1m]))");
        assertThat(q(Canary.Source.functions, "request-success-rate"))
                .isEqualTo(
                        "100 * sum(rate(http_server_requests_seconds_count{function=\"routing\",version=\"v2\",status!~\"5..\"}"
                                + "[1m])) / sum(rate(http_server_requests_seconds_count{function=\"routing\",version=\"v2\"}[1m]))");
        assertThat(q(Canary.Source.functions, "request-duration-p99-ms"))
                .isEqualTo("1000 * histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{"
                        + "function=\"routing\",version=\"v2\"}[1m])))");
    }

    @Test
    void decisionAgreementReadsTheShadowsDecisionsOrElseTheServedOnes() {
        String share = "(100 * sum(increase(%1$s{function=\"routing\",version=\"v2\",outcome=\"assigned\"}[1m])"
                + " or 0 * increase(%1$s{function=\"routing\",version=\"v2\",outcome=\"queued\"}[1m]))"
                + " / (sum(increase(%1$s{function=\"routing\",version=\"v2\",outcome=~\"assigned|queued\"}[1m])) > 0))";
        assertThat(q(Canary.Source.functions, "decision-agreement"))
                .isEqualTo(share.formatted("meshdesk_shadow_decisions_total") + " or "
                        + share.formatted("meshdesk_routing_decision_seconds_count"));
        assertThat(SLI.builtIn(Canary.Source.functions, "decision-agreement")).isTrue();
    }

    @Test
    void istioSource() {
        String labels =
                "reporter=\"destination\",destination_workload_namespace=\"meshdesk\",destination_app=\"routing\","
                        + "destination_version=\"v2\"";
        assertThat(q(Canary.Source.istio, "requests"))
                .isEqualTo("sum(increase(istio_requests_total{" + labels + "}[1m]))");
        assertThat(q(Canary.Source.istio, "request-success-rate"))
                .isEqualTo("100 * sum(rate(istio_requests_total{" + labels
                        + ",response_code!~\"5..\"}[1m])) / sum(rate(istio_requests_total{" + labels + "}[1m]))");
        assertThat(q(Canary.Source.istio, "request-duration-p99-ms"))
                .isEqualTo("histogram_quantile(0.99, sum by (le) " + "(rate(istio_request_duration_milliseconds_bucket{"
                        + labels + "}[1m])))");
    }

    @Test
    void builtInChecksAndRecordingRulesAreKnownByName() {
        assertThat(SLI.builtIn(Canary.Source.functions, "request-success-rate")).isTrue();
        assertThat(SLI.builtIn(Canary.Source.istio, "request-duration-p99-ms")).isTrue();
        assertThat(SLI.builtIn(Canary.Source.functions, "requests")).isFalse();
        assertThat(SliQueries.recordingRule("meshdesk:routing_decision_seconds:p99_5m"))
                .isTrue();
        assertThat(SliQueries.recordingRule("request-success-rat")).isFalse();
    }
}
