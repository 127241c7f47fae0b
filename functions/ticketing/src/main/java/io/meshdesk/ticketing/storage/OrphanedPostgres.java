package io.meshdesk.ticketing.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * Clears what a killed ticketing JVM leaves in the embedded PostgreSQL's data directory, so the
 * next start does not die on it. The database runs as its own process (pg_ctl daemonises it),
 * so a SIGKILL of the JVM leaves it running with the data directory and its
 * {@code postmaster.pid}; after a reboot or a kill of the database the file names a process
 * that is gone, or one that is something else.
 *
 * <p>Nothing is taken from a JVM that is alive: the embedded database's lock file
 * ({@code epg-lock}, held by the JVM that started it) is taken first, and only a directory
 * whose lock is free is cleaned. The orphan is asked to shut down (SIGTERM: PostgreSQL finishes
 * and checkpoints; its clients died with the JVM), and killed only if it does not; with fsync
 * on, a killed PostgreSQL loses nothing it acknowledged and recovers from its WAL at the next start.
 */
final class OrphanedPostgres {

    private static final Logger LOG = Logger.getLogger(OrphanedPostgres.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(15);

    private OrphanedPostgres() {}

    /** Makes the directory startable; returns what it found, for the log and the tests. */
    static String clear(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return "clean";
        }
        try (FileChannel lockChannel = FileChannel.open(
                        dataDir.resolve("epg-lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockChannel.tryLock()) {
            if (lock == null) {
                return "in use by a live process";
            }
            List<String> lines = Files.readAllLines(pidFile);
            long pid = lines.isEmpty() ? -1 : parse(lines.get(0));
            Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
            if (process.isPresent() && process.get().isAlive() && isPostgres(process.get())) {
                stop(process.get(), dataDir);
                Files.deleteIfExists(pidFile);
                return "stopped orphaned PostgreSQL " + pid;
            }
            Files.deleteIfExists(pidFile);
            LOG.infof("removed the stale %s (process %d is gone or is not PostgreSQL)", pidFile, pid);
            return "removed stale postmaster.pid";
        }
    }

    private static void stop(ProcessHandle postmaster, Path dataDir) {
        List<ProcessHandle> children = postmaster.descendants().toList();
        LOG.warnf(
                "PostgreSQL %d still runs on %s without the JVM that started it (killed?); stopping it before "
                        + "starting again",
                postmaster.pid(), dataDir);
        postmaster.destroy();
        if (!waitFor(postmaster, SHUTDOWN_WAIT)) {
            LOG.warnf(
                    "PostgreSQL %d did not shut down within %d s; killing it (it recovers from its WAL)",
                    postmaster.pid(), SHUTDOWN_WAIT.toSeconds());
            postmaster.destroyForcibly();
            waitFor(postmaster, SHUTDOWN_WAIT);
        }
        // Backends hold the shared memory that a new postmaster refuses to start beside.
        for (ProcessHandle child : children) {
            if (!waitFor(child, SHUTDOWN_WAIT)) {
                child.destroyForcibly();
                waitFor(child, SHUTDOWN_WAIT);
            }
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info()
                .command()
                .map(c -> Path.of(c).getFileName().toString().startsWith("postgres"))
                .orElse(false);
    }

    private static boolean waitFor(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !process.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static long parse(String line) {
        try {
            return Long.parseLong(line.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
