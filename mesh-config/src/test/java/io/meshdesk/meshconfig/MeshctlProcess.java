package io.meshdesk.meshconfig;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.meshdesk.meshconfig.cli.Meshctl;

/**
 * meshctl as its own OS process, as another machine would run it: the entry point of bin/meshctl
 * (meshctl.jar's main class) on mesh-config's classes and run-time classpath (the build writes it
 * to target/meshctl.classpath), with the environment given (KUBECONFIG, as a user's shell has it).
 */
final class MeshctlProcess implements AutoCloseable {

    private final String what;
    private final Process process;
    private final Path output;

    private MeshctlProcess(Map<String, String> environment, String... args) {
        this.what = "meshctl " + String.join(" ", List.of(args).subList(0, Math.min(2, args.length)));
        if (System.getProperty("meshctl.classpath") == null) {
            throw new IllegalStateException("meshctl.classes and meshctl.classpath are not set: run the tests through "
                    + "Maven (mesh-config's pom sets them; the build writes target/meshctl.classpath)");
        }
        String classpath = System.getProperty("meshctl.classes")
                + File.pathSeparator
                + Repo.read(Path.of(System.getProperty("meshctl.classpath"))).strip();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                Meshctl.class.getName()));
        command.addAll(List.of(args));
        try {
            output = Files.createTempFile("meshctl-process-", ".log");
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts meshctl; it runs until it ends by itself, {@link #kill()} or {@link #close()}. */
    static MeshctlProcess start(Map<String, String> environment, String... args) {
        return new MeshctlProcess(environment, args);
    }

    /** Runs meshctl to its end, bounded by timeout. */
    static Repo.Run run(Duration timeout, Map<String, String> environment, String... args) {
        try (MeshctlProcess p = start(environment, args)) {
            return p.awaitExit(timeout);
        }
    }

    /** Its exit code and all it printed, once it has ended (within timeout, or this fails saying what it printed). */
    Repo.Run awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        what + " did not finish within " + timeout.toSeconds() + " s; it printed:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Repo.Run(process.exitValue(), output());
    }

    String output() {
        return Repo.read(output);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process dies at once, as a controller whose node fails would. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
