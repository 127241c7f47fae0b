package io.meshdesk.etcd.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.meshdesk.localservers.Binaries;
import io.meshdesk.localservers.LoopbackPorts;

/**
 * Real etcd members (Debian's {@code etcd}) on free loopback ports, for tests: one member, or a
 * cluster of three where failover is the point. Each member can be killed and started again.
 */
public final class EtcdCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final String token;
    private final Path dataRoot;
    private final List<Member> members = new ArrayList<>();

    private EtcdCluster(int size) throws IOException {
        this.token = "meshdesk-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        this.dataRoot = Files.createTempDirectory("meshdesk-etcd-");
        for (int i = 0; i < size; i++) {
            members.add(new Member("m" + i, freePort(), freePort(), dataRoot.resolve("m" + i)));
        }
    }

    public static EtcdCluster single() {
        return start(1);
    }

    public static EtcdCluster threeMembers() {
        return start(3);
    }

    private static EtcdCluster start(int size) {
        try {
            EtcdCluster cluster = new EtcdCluster(size);
            for (int i = 0; i < size; i++) {
                cluster.startMember(i);
            }
            cluster.awaitHealthy();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Client URLs of all members, in member order. */
    public List<String> endpoints() {
        return members.stream().map(Member::clientUrl).toList();
    }

    public String endpointsCsv() {
        return String.join(",", endpoints());
    }

    public int size() {
        return members.size();
    }

    /** SIGKILL: the member dies without a goodbye, as a crashed node would. */
    public void kill(int index) {
        Process p = members.get(index).process;
        if (p != null) {
            p.destroyForcibly();
            waitFor(p);
            members.get(index).process = null;
        }
    }

    /** SIGSTOP: the member freezes with its connections open, as a stalled disk or VM would make it. */
    public void pause(int index) {
        signal(index, "STOP");
    }

    /** SIGCONT: a paused member goes on where it stopped. */
    public void resume(int index) {
        signal(index, "CONT");
    }

    private void signal(int index, String signal) {
        Process p = members.get(index).process;
        if (p == null) {
            throw new IllegalStateException("etcd member " + index + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a killed member again with its data directory, so it rejoins the cluster. */
    public void restart(int index) {
        startMember(index);
    }

    /** The index of the member that is leader now, found through each member's status. */
    public int leaderIndex() {
        try (Client client =
                Client.builder().endpoints(endpoints().toArray(String[]::new)).build()) {
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).process == null) {
                    continue;
                }
                var status = client.getMaintenanceClient()
                        .statusMember(members.get(i).clientUrl())
                        .get(5, TimeUnit.SECONDS);
                if (status.getLeader() == status.getHeader().getMemberId()) {
                    return i;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not ask the etcd members who leads: " + e.getMessage(), e);
        }
        throw new IllegalStateException("no etcd member says it is the leader");
    }

    private void startMember(int index) {
        Member m = members.get(index);
        String initialCluster =
                members.stream().map(x -> x.name + "=" + x.peerUrl()).collect(Collectors.joining(","));
        List<String> cmd = List.of(
                etcdBinary(),
                "--name",
                m.name,
                "--data-dir",
                m.dataDir.toString(),
                "--listen-client-urls",
                m.clientUrl(),
                "--advertise-client-urls",
                m.clientUrl(),
                "--listen-peer-urls",
                m.peerUrl(),
                "--initial-advertise-peer-urls",
                m.peerUrl(),
                "--initial-cluster",
                initialCluster,
                "--initial-cluster-token",
                token,
                "--initial-cluster-state",
                "new",
                "--heartbeat-interval",
                "100",
                "--election-timeout",
                "1000");
        try {
            File log = dataRoot.resolve(m.name + ".log").toFile();
            m.process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not start etcd (" + cmd.get(0) + "): " + e.getMessage()
                            + "; install Debian's etcd-server (the README's test command does it)",
                    e);
        }
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Exception last = null;
        try (Client client =
                Client.builder().endpoints(endpoints().toArray(String[]::new)).build()) {
            while (System.nanoTime() < deadline) {
                for (Member m : members) {
                    if (m.process != null && !m.process.isAlive()) {
                        throw new IllegalStateException("etcd member " + m.name + " exited at start with code "
                                + m.process.exitValue() + "; its log: " + dataRoot.resolve(m.name + ".log"));
                    }
                }
                try {
                    client.getKVClient()
                            .put(
                                    ByteSequence.from("/meshdesk-test/ready".getBytes()),
                                    ByteSequence.from("1".getBytes()))
                            .get(2, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    last = e;
                }
            }
        }
        close();
        throw new IllegalStateException("etcd did not become healthy within " + START_TIMEOUT.toSeconds() + " s"
                + (last != null ? ": " + last.getMessage() : ""));
    }

    private static String etcdBinary() {
        return Binaries.find("etcd", "etcd-server");
    }

    private static int freePort() {
        return LoopbackPorts.free();
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        for (Member m : members) {
            if (m.process != null) {
                m.process.destroy();
                waitFor(m.process);
                m.process.destroyForcibly();
                m.process = null;
            }
        }
        try (Stream<Path> files = Files.walk(dataRoot)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // A temp directory left behind is harmless; the test result matters more.
        }
    }

    private static final class Member {
        final String name;
        final int clientPort;
        final int peerPort;
        final Path dataDir;
        Process process;

        Member(String name, int clientPort, int peerPort, Path dataDir) {
            this.name = name;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.dataDir = dataDir;
        }

        String clientUrl() {
            return "http://127.0.0.1:" + clientPort;
        }

        String peerUrl() {
            return "http://127.0.0.1:" + peerPort;
        }
    }
}
