package io.meshdesk.meshconfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import io.meshdesk.meshconfig.cli.Meshctl;
import io.meshdesk.meshconfig.model.MeshConfig;

/** The repository the tests run in, and a way to run meshctl as a user would and read what it says. */
final class Repo {

    static final Path ROOT = Paths.get(System.getProperty("meshdesk.repo", ".."))
            .toAbsolutePath()
            .normalize();

    static MeshConfig config() {
        return MeshConfig.load(ROOT.resolve("mesh-config/topology.yaml"), ROOT.resolve("mesh-config/canaries"));
    }

    /** meshctl's exit code and everything it printed. */
    record Run(int exitCode, String output) {}

    static synchronized Run meshctl(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            int code = Meshctl.run(args);
            return new Run(code, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** A scratch copy of the sources (topology and canaries) to change without touching the repo. */
    static Path scratchCopy() {
        try {
            Path dir = Files.createTempDirectory("meshctl-");
            Files.createDirectories(dir.resolve("mesh-config/canaries"));
            Files.copy(ROOT.resolve("mesh-config/topology.yaml"), dir.resolve("mesh-config/topology.yaml"));
            try (var canaries = Files.list(ROOT.resolve("mesh-config/canaries"))) {
                for (Path c : canaries.toList()) {
                    Files.copy(c, dir.resolve("mesh-config/canaries").resolve(c.getFileName()));
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void replace(Path file, String from, String to) {
        try {
            String text = Files.readString(file);
            if (!text.contains(from)) {
                throw new IllegalArgumentException(file + " does not contain " + from);
            }
            Files.writeString(file, text.replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A scratch copy where routing's canary mirrors 20% instead of the repository's 5% (routing
     * has a shadow mode, topology mirror: shadow): the mirror path, with a share no default has.
     */
    static Path scratchWithMirror() {
        Path scratch = scratchCopy();
        replace(scratch.resolve("mesh-config/canaries/routing-v2.yaml"), "mirrorPercentage: 5", "mirrorPercentage: 20");
        return scratch;
    }

    static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String[] at(Path scratch, String... args) {
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--topology";
        all[args.length + 1] = scratch.resolve("mesh-config/topology.yaml").toString();
        all[args.length + 2] = "--canaries";
        all[args.length + 3] = scratch.resolve("mesh-config/canaries").toString();
        all[args.length + 4] = "--root";
        all[args.length + 5] = scratch.toString();
        return all;
    }
}
