package io.meshdesk.meshconfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code meshctl render --check} is what CI runs to keep istio/ and knative/ honest, so its exit
 * code is the contract: 0 when the checked-in files are what render writes, 1 with a line naming
 * each stale file otherwise, and it writes nothing either way. Each test runs on a scratch copy
 * of the sources and the rendered trees, never on the repository itself.
 */
@Timeout(60)
class RenderCheckTest {

    private static final String ROUTING_VS = "istio/cn-north/virtual-service-routing.yaml";
    private static final String CHAT_SERVICE = "knative/us-east/service-chat-premium.yaml";

    private Path scratch;

    @BeforeEach
    void copyTheRepository() {
        scratch = Repo.scratchCopy();
        copyTree("istio");
        copyTree("knative");
    }

    @Test
    void freshFilesExitZeroAndSayNothingIsStale() {
        Repo.Run run = Repo.meshctl(Repo.at(scratch, "render", "--check"));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain("stale");
    }

    @Test
    void aHandEditedFileExitsOneNamingThatFileAndIsLeftAsItWas() {
        Path edited = scratch.resolve(ROUTING_VS);
        String changed = Repo.read(edited) + "# edited by hand\n";
        Repo.write(edited, changed);

        Repo.Run run = Repo.meshctl(Repo.at(scratch, "render", "--check"));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(staleLines(run)).containsExactly("stale: " + ROUTING_VS + " differs");
        assertThat(run.output()).contains("run bin/meshctl render and commit the result");
        assertThat(Repo.read(edited)).as("--check writes nothing").isEqualTo(changed);
    }

    @Test
    void aMissingFileExitsOneNamingThatFileAndIsNotWritten() {
        Repo.delete(scratch.resolve(CHAT_SERVICE));

        Repo.Run run = Repo.meshctl(Repo.at(scratch, "render", "--check"));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(staleLines(run)).containsExactly("stale: " + CHAT_SERVICE + " is missing");
        assertThat(scratch.resolve(CHAT_SERVICE)).doesNotExist();
    }

    @Test
    void aLeftoverFileRenderNoLongerWritesExitsOne() {
        String leftover = "istio/cn-north/virtual-service-retired.yaml";
        Repo.write(scratch.resolve(leftover), Repo.read(scratch.resolve(ROUTING_VS)));

        Repo.Run run = Repo.meshctl(Repo.at(scratch, "render", "--check"));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(staleLines(run)).containsExactly("stale: " + leftover + " is no longer rendered");
    }

    @Test
    void aChangedSourceMakesTheOldFilesStaleUntilRenderRuns() {
        // The repository's routing canary mirrors 5%; turning the mirror phase off changes the route
        // and retires the mirror target.
        Repo.replace(
                scratch.resolve("mesh-config/canaries/routing-v2.yaml"), "mirrorPercentage: 5", "mirrorPercentage: 0");

        Repo.Run before = Repo.meshctl(Repo.at(scratch, "render", "--check"));
        assertThat(before.exitCode()).as(before.output()).isEqualTo(1);
        assertThat(staleLines(before))
                .as("the mirror route and the mirror's own Knative Service")
                .contains(
                        "stale: " + ROUTING_VS + " differs",
                        "stale: knative/cn-north/service-routing-canary.yaml is no longer rendered");

        Repo.Run render = Repo.meshctl(Repo.at(scratch, "render"));
        assertThat(render.exitCode()).as(render.output()).isZero();
        Repo.Run after = Repo.meshctl(Repo.at(scratch, "render", "--check"));
        assertThat(after.exitCode()).as(after.output()).isZero();
    }

    private static List<String> staleLines(Repo.Run run) {
        return run.output().lines().filter(l -> l.startsWith("stale: ")).toList();
    }

    private void copyTree(String dir) {
        Path from = Repo.ROOT.resolve(dir);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = scratch.resolve(dir).resolve(from.relativize(f));
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
