package io.meshdesk.meshconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Bad topology and canary files are refused with the file and the field named, and nothing is written. */
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
        Repo.Run run = renderWith("mesh-config/topology.yaml", "    protocol: grpc", "    protocol: grpc\n    colour: blue");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("topology.yaml: functions[1].colour: unknown field 'colour'");
    }

    @Test
    void aMissingNumber() {
        Repo.Run run = renderWith("mesh-config/topology.yaml", "    port: 8080\n    protocol: grpc", "    protocol: grpc");
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
}
