package io.meshdesk.localservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A packaged meshdesk function ({@code functions/<name>/target/quarkus-app/quarkus-run.jar})
 * running as its own JVM on a free loopback port, configured by system properties, ready once
 * {@code /q/health/ready} answers.
 */
public final class FunctionInstance extends ServerProcess {

    private final String function;
    private final int port;

    private FunctionInstance(String function, int port, List<String> command, Path workDir, Path log) {
        super(function + " :" + port, command, Map.of(), workDir, log);
        this.function = function;
        this.port = port;
    }

    /** Starts a function. Call {@link Builder#start()} after setting its properties. */
    public static Builder of(Path repositoryRoot, String function) {
        return new Builder(repositoryRoot, function);
    }

    public String function() {
        return function;
    }

    public int port() {
        return port;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String target() {
        return "127.0.0.1:" + port;
    }

    public static final class Builder {
        private final Path root;
        private final String function;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private Path workDir;
        private Path jar;
        private Path classDataArchive;
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder(Path root, String function) {
            this.root = root;
            this.function = function;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /**
         * Verify callers' bearer tokens against this issuer and its public key set (a JWKS or PEM
         * file), as {@code mp.jwt.verify.*} says in production; the run signs tokens with its keys.
         */
        public Builder trustingIssuer(String issuer, Path publicKeys) {
            return property("mp.jwt.verify.issuer", issuer)
                    .property("mp.jwt.verify.publickey.location", publicKeys.toString());
        }

        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** Where its log (and anything it writes relative to its working directory) goes. */
        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** Another packaged Quarkus app than functions/&lt;name&gt;, such as a baseline for comparison. */
        public Builder jar(Path quarkusRunJar) {
            this.jar = quarkusRunJar;
            return this;
        }

        /**
         * A class-data sharing archive (AppCDS) for this app's JVM: used when it exists and is
         * newer than the jar, otherwise written when this JVM exits, so the next start maps the
         * classes this one loaded instead of loading them again (a training run, as a container
         * image build would do).
         */
        public Builder classDataArchive(Path archive) {
            this.classDataArchive = archive;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public FunctionInstance start() {
            Path jar = this.jar != null
                    ? this.jar
                    : root.resolve("functions").resolve(function).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: package the functions first (./mvnw package)");
            }
            int port = LoopbackPorts.free();
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions);
            if (classDataArchive != null) {
                cmd.add("-Xlog:cds*=off"); // the archive's per-class notes would fill the log
                cmd.add(classDataOption(classDataArchive, jar));
            }
            cmd.add("-Dquarkus.http.host=127.0.0.1");
            cmd.add("-Dquarkus.http.port=" + port);
            properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-jar");
            cmd.add(jar.toString());
            Path dir = workDir != null ? workDir : root.resolve("target");
            FunctionInstance instance =
                    new FunctionInstance(function, port, cmd, dir, dir.resolve(function + "-" + port + ".log"));
            instance.awaitReady(URI.create("http://127.0.0.1:" + port + "/q/health/ready"), startTimeout);
            return instance;
        }

        private static String classDataOption(Path archive, Path jar) {
            try {
                if (Files.isRegularFile(archive)
                        && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
                    return "-XX:SharedArchiveFile=" + archive;
                }
                // A stale archive is refused by the JVM with a warning; replace it instead.
                Files.deleteIfExists(archive);
                Files.createDirectories(archive.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the class-data archive " + archive, e);
            }
            return "-XX:ArchiveClassesAtExit=" + archive;
        }
    }
}
