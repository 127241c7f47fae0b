package io.meshdesk.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.meshdesk.localservers.Binaries;

/** Runs promtool or amtool (Debian's prometheus and prometheus-alertmanager) and keeps what they said. */
record Tool(int exitCode, String output) {

    static Tool promtool(Path workDir, String... args) {
        return run(workDir, Binaries.find("promtool", "prometheus"), args);
    }

    static Tool amtool(Path workDir, String... args) {
        return run(workDir, Binaries.find("amtool", "prometheus-alertmanager"), args);
    }

    private static Tool run(Path workDir, String binary, String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish within 120 s");
            }
            return new Tool(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean ok() {
        return exitCode == 0;
    }
}
