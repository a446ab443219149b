package io.nsscope.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One namespace of each of the eight types, made with {@code unshare(1)} and {@code ip}, each holding one
 * {@code sleep} whose argument marks it, for the details tests: a uts namespace with its own host name, an ipc one
 * with a shared memory segment, a user one mapping root, a time one with offsets, a pid one three deep, a mnt one with
 * private propagation, a cgroup one, and a network namespace ({@code ip netns add}) with one end of a veth pair,
 * addresses 10.231.7.2/24, 10.231.8.9/32 (no route covers it) and fd00:231:7::2/64. {@link #stop()} kills every
 * process started, with its descendants, and deletes the network namespace and the veth pair.
 */
final class LiveNamespaces {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final List<String> TYPES = List.of("uts", "ipc", "user", "time", "pid", "mnt", "cgroup", "net");

    final String run = String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    final String netns = "nsd-" + run;
    final String hostEnd = "nsdA" + run;
    final String innerEnd = "nsdB" + run;
    final String hostname = "box-" + run;

    private final List<Process> started = new ArrayList<>();
    private final Map<String, Integer> pids = new LinkedHashMap<>();
    private boolean netnsAdded;
    private boolean vethAdded;

    /** Why these namespaces cannot be made here (not root, a tool or a namespace type missing), or empty. */
    static Optional<String> unavailable() {
        if (!LiveHost.isRoot()) {
            return Optional.of("not root");
        }
        for (String tool : List.of("unshare", "setsid", "sleep", "sh", "ip", "ipcmk")) {
            if (LiveHost.tool(tool).isEmpty()) {
                return Optional.of(tool + " is not installed");
            }
        }
        for (String type : TYPES) {
            if (!LiveHost.kernelHas(type)) {
                return Optional.of("the kernel has no " + type + " namespaces");
            }
        }
        return Optional.empty();
    }

    /** The {@code sleep} argument that marks the process of a type. */
    String mark(String type) {
        return "600." + run + String.format("%02d", TYPES.indexOf(type) + 1);
    }

    /** The host PID of the process that holds the namespace of this type. */
    int pid(String type) {
        return pids.get(type);
    }

    /** The inode of the namespace of this type. */
    long inode(String type) throws IOException {
        return LiveHost.inodeOf(Files.readSymbolicLink(Path.of("/proc/" + pid(type) + "/ns/" + type))
                .toString());
    }

    String ip() {
        return LiveHost.tool("ip").orElseThrow().toString();
    }

    /** Makes the namespaces and waits until each sleep runs. */
    LiveNamespaces start() throws IOException {
        String ip = ip();
        start("uts", "unshare", "-u", "sh", "-c", "hostname " + hostname + " && exec sleep " + mark("uts"));
        start("ipc", "unshare", "-i", "sh", "-c", "ipcmk -M 4096 >/dev/null && exec sleep " + mark("ipc"));
        start("user", "unshare", "-U", "--map-root-user", "sleep", mark("user"));
        start("time", "unshare", "-T", "--monotonic", "86400", "--boottime", "3600", "-f", "sleep", mark("time"));
        start(
                "pid",
                "unshare",
                "-p",
                "-f",
                "--mount-proc",
                "sh",
                "-c",
                "unshare -p -f --mount-proc sh -c " + "'unshare -p -f --mount-proc sleep " + mark("pid") + "'");
        start("mnt", "unshare", "-m", "--propagation", "private", "sleep", mark("mnt"));
        start("cgroup", "unshare", "-C", "sleep", mark("cgroup"));

        LiveHost.run(TIMEOUT, ip, "netns", "add", netns).requireSuccess();
        netnsAdded = true;
        LiveHost.run(TIMEOUT, ip, "link", "add", hostEnd, "type", "veth", "peer", "name", innerEnd)
                .requireSuccess();
        vethAdded = true;
        LiveHost.run(TIMEOUT, ip, "link", "set", innerEnd, "netns", netns).requireSuccess();
        LiveHost.run(TIMEOUT, ip, "-n", netns, "addr", "add", "10.231.7.2/24", "dev", innerEnd)
                .requireSuccess();
        LiveHost.run(TIMEOUT, ip, "-n", netns, "addr", "add", "10.231.8.9/32", "dev", innerEnd)
                .requireSuccess();
        LiveHost.run(TIMEOUT, ip, "-n", netns, "addr", "add", "fd00:231:7::2/64", "dev", innerEnd)
                .requireSuccess();
        LiveHost.run(TIMEOUT, ip, "-n", netns, "link", "set", innerEnd, "up").requireSuccess();
        LiveHost.run(TIMEOUT, ip, "-n", netns, "link", "set", "lo", "up").requireSuccess();
        LiveHost.run(TIMEOUT, ip, "link", "set", hostEnd, "up").requireSuccess();
        start("net", ip, "netns", "exec", netns, "sleep", mark("net"));

        for (String type : TYPES) {
            pids.put(type, awaitSleep(mark(type)));
        }
        return this;
    }

    private void start(String type, String... command) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(LiveHost.tool("setsid").orElseThrow().toString());
        argv.addAll(List.of(command));
        started.add(new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start());
    }

    /** The PID of the sleep whose argument is {@code mark}, once it runs. */
    private static int awaitSleep(String mark) {
        int[] found = new int[1];
        Awaitility.await("sleep " + mark)
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    for (int pid : LiveHost.pids()) {
                        Optional<LiveHost.Proc> p = LiveHost.read(pid);
                        if (p.isPresent() && p.get().argv().equals(List.of("sleep", mark))) {
                            found[0] = pid;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    /** Kills what was started, deletes the network namespace and the veth pair, and checks nothing is left. */
    void stop() throws Exception {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : started) {
            p.descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        for (Process p : started) {
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String ip = LiveHost.tool("ip").map(Path::toString).orElse("ip");
        if (netnsAdded) {
            LiveHost.run(TIMEOUT, ip, "netns", "delete", netns).requireSuccess();
        }
        if (vethAdded) {
            // Deleting the namespace destroys the inner end, and with it the pair; the kernel may take a moment.
            try {
                Awaitility.await()
                        .atMost(TIMEOUT)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> !Files.exists(Path.of("/sys/class/net", hostEnd)));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                LiveHost.run(TIMEOUT, ip, "link", "delete", hostEnd);
            }
        }
        for (ProcessHandle h : all) {
            h.onExit().get(10, TimeUnit.SECONDS);
        }
        assertThat(started).allSatisfy(p -> assertThat(p.isAlive()).isFalse());
        assertThat(Path.of("/run/netns", netns)).doesNotExist();
        assertThat(Path.of("/sys/class/net", hostEnd)).doesNotExist();
    }
}
