package io.meshdesk.meshconfig;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad topology and canary files are refused with the file and the field named, exit 2, and
 * nothing is written; the findings of issue 18 about bad input each have a test named after it.
 */
class BadConfigTest {

    private static Repo.Run renderWith(String file, String from, String to) {
        Path scratch = Repo.scratchCopy();
        Repo.replace(scratch.resolve(file), from, to);
        return Repo.meshctl(Repo.at(scratch, "render"));
    }

    @Test
    void aMissingField() {
        Repo.Run run = renderWith("mesh-config/topology.yaml", "    ingressHost: us-east.meshdesk.example.com\n", "");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("topology.yaml: regions[1].ingressHost: is required");
    }

    @Test
    void anUnknownField() {
        Repo.Run run =
                renderWith("mesh-config/topology.yaml", "    protocol: grpc", "    protocol: grpc\n    colour: blue");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output())
                .contains("topology.yaml: functions[1].colour: unknown field 'colour'")
                .doesNotContain("did you mean");
    }

    @Test
    void aMissingNumber() {
        Repo.Run run =
                renderWith("mesh-config/topology.yaml", "    port: 8080\n    protocol: grpc", "    protocol: grpc");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("topology.yaml: functions[1].port: is required");
    }

    @Test
    void aCanaryForAnUnknownFunction() {
        Repo.Run run = renderWith("mesh-config/canaries/routing-v2.yaml", "function: routing", "function: billing");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("routing-v2.yaml: function: unknown function billing");
    }

    @Test
    void weightsOver100() {
        Repo.Run run = renderWith("mesh-config/canaries/routing-v2.yaml", "maxWeight: 50", "maxWeight: 150");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("routing-v2.yaml: analysis.maxWeight: 150 is not a weight between 1 and 100");
    }

    @Test
    void aCanaryThatDoesNotStartFromTheLiveVersion() {
        Repo.Run run = renderWith("mesh-config/canaries/routing-v2.yaml", "stableVersion: v1", "stableVersion: v0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("stableVersion: v0 is not the version the topology runs (v1)");
    }

    @Test
    void aCallerThatIsNotAFunction() {
        Repo.Run run = renderWith("mesh-config/topology.yaml", "callers: [routing, chat]", "callers: [routing, crm]");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("functions[2].callers: names crm, which is not a function here");
    }

    @Test
    void aDuplicateFunctionIsRefusedInsteadOfReplacingTheFirstsFiles() {
        Path scratch = Repo.scratchCopy();
        Path topology = scratch.resolve("mesh-config/topology.yaml");
        String text = Repo.read(topology);
        String ticketing = text.substring(text.indexOf("  - name: ticketing"), text.indexOf("\n# The stores") + 1);
        Repo.replace(topology, ticketing, ticketing + ticketing.replace("maxScale: 10", "maxScale: 11"));
        Repo.Run run = Repo.meshctl(Repo.at(scratch, "render"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("topology.yaml: functions[3].name: function ticketing is listed twice");
        assertThat(scratch.resolve("knative")).doesNotExist();
    }

    @Test
    void aMissingOrMisspeltCanariesFolderIsRefusedNotReadAsNoCanary() {
        Path scratch = Repo.scratchCopy();
        String[] args = Repo.at(scratch, "render");
        args[4] = scratch.resolve("mesh-config/canarys").toString();
        Repo.Run run = Repo.meshctl(args);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("canarys: the canaries folder does not exist");
        args[0] = "validate";
        assertThat(Repo.meshctl(args).exitCode()).isEqualTo(2);
    }

    @Test
    void anEmptyCanaryFileSaysSo() {
        Path scratch = Repo.scratchCopy();
        Repo.write(scratch.resolve("mesh-config/canaries/chat-v2.yaml"), "# to do\n");
        Repo.Run run = Repo.meshctl(Repo.at(scratch, "render"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("chat-v2.yaml: the file is empty").doesNotContain("end-of-input");
    }

    @Test
    void aMisspeltFieldIsReportedAsUnknownWithADidYouMean() {
        Repo.Run run = renderWith("mesh-config/canaries/routing-v2.yaml", "stepWeight: 10", "stepweight: 10");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output())
                .contains("analysis.stepweight: unknown field 'stepweight' (did you mean stepWeight?)")
                .doesNotContain("is required");
    }

    @Test
    void aWordWhereANumberOrAnEnumBelongs() {
        Repo.Run weight = renderWith("mesh-config/canaries/routing-v2.yaml", "stepWeight: 10", "stepWeight: ten");
        assertThat(weight.exitCode()).isEqualTo(2);
        assertThat(weight.output()).contains("analysis.stepWeight: 'ten' is not a whole number");
        Repo.Run protocol = renderWith("mesh-config/topology.yaml", "protocol: grpc", "protocol: quic");
        assertThat(protocol.output()).contains("functions[1].protocol: 'quic' is not one of [http, grpc]");
        Repo.Run timeout = renderWith("mesh-config/topology.yaml", "timeout: 5s", "timeout: five seconds");
        assertThat(timeout.output()).contains("functions[0].timeout: 'five seconds' is not a duration");
    }

    /** chat and ticketing have no shadow mode: a mirror phase for them is refused, naming them and what to do. */
    @ParameterizedTest
    @ValueSource(strings = {"chat", "ticketing"})
    void aMirrorPhaseForAFunctionWithoutShadowModeIsRefused(String function) {
        Repo.Run run = renderWith("mesh-config/canaries/routing-v2.yaml", "function: routing", "function: " + function);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output())
                .contains("routing-v2.yaml")
                .contains("analysis.mirrorPercentage")
                .contains(function + " cannot be mirrored")
                .contains("no shadow mode")
                .contains("set mirrorPercentage: 0")
                .contains("give " + function + " a shadow mode");
    }

    @Test
    void anUnknownCheckIsRefusedWithADidYouMean() {
        Repo.Run run = renderWith(
                "mesh-config/canaries/routing-v2.yaml", "name: request-success-rate", "name: request-sucess-rate");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output())
                .contains("analysis.metrics[0].name: unknown check 'request-sucess-rate' (did you mean "
                        + "request-success-rate?)");
    }
}
