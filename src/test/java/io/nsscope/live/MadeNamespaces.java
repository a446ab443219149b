package io.nsscope.live;

import static io.nsscope.live.StartedCommands.awaitOwn;
import static io.nsscope.live.StartedCommands.awaitProc;
import static io.nsscope.live.StartedCommands.childWith;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.live.LiveHost.Proc;
import io.nsscope.live.LiveHost.Result;
import io.nsscope.live.LsnsRows.NsKey;
import io.nsscope.live.StartedCommands.Started;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Processes in namespaces of every type that a test makes with {@code unshare(1)}, for the {@code *LiveIT} classes
 * that compare nsscope with the reference tools on them.
 *
 * <p>{@link #start()} starts a PID and mount namespace with a small process tree in it, then net, uts, ipc, user,
 * cgroup and time namespaces one process each, and a named network namespace with {@code ip netns}. Each process
 * has an argument carrying this run's mark ({@code sleep 3000.<run><nn>}), so that it is easy to find and to tell
 * from another run's. Nothing is started (and {@link #assumeRunnable()} skips) when not root, or when unshare,
 * lsns, setsid, sleep, sh, readlink or kill is missing; the named network namespace is left out when ip is missing,
 * and user, cgroup and time namespaces when the kernel lacks them. {@link #stopAndAssertNothingLeft()} kills
 * everything, innermost first, deletes the network namespace (also from a shutdown hook), then asserts that nothing
 * of this run remains.
 */
final class MadeNamespaces {

    /** The longest the test waits for its processes to end. */
    static final Duration READY_TIMEOUT = StartedCommands.READY_TIMEOUT;

    /** This run's number: it goes into every argument list and name, so two runs never mix. */
    final String run = String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    /** What every process of this run has in its arguments. */
    final String mark = "3000." + run;

    final String netns = "nsscope-it-" + run;

    private StartedCommands commands;
    /** Every process of the test once in place, by role ({@code pidmnt/init}...). */
    final Map<String, Proc> ours = new LinkedHashMap<>();
    /** For each role, the links of /proc/PID/ns that must differ from the test JVM's. */
    final Map<String, Set<String>> unsharedLinks = new LinkedHashMap<>();
    /** The namespaces the test made, with the PIDs of the test's processes in each. */
    final Map<NsKey, TreeSet<Integer>> created = new TreeMap<>();
    /** Kinds of namespace not exercised on this host, with the reason. */
    final List<String> notExercised = new ArrayList<>();
    /** The test JVM's own namespaces, by link name. */
    Map<String, Long> jvmLinks = Map.of();

    private Path workDir;
    private volatile boolean netnsAdded;
    private Thread shutdownHook;
    private boolean stopped;
    private String skipReason;

    private MadeNamespaces() {}

    /** Why the processes cannot be made here, or null. */
    private static String cannotRun() {
        if (!LiveHost.isRoot()) {
            return "not root: making namespaces needs root";
        }
        for (String tool : List.of("unshare", "lsns", "setsid", "sleep", "sh", "readlink", "kill")) {
            if (LiveHost.tool(tool).isEmpty()) {
                return tool + " is not installed";
            }
        }
        for (String type : List.of("pid", "mnt", "net", "uts", "ipc")) {
            if (!LiveHost.kernelHas(type)) {
                return "the kernel has no " + type + " namespaces";
            }
        }
        return null;
    }

    /** Skips the calling test (never fails it) where the processes could not be made. */
    void assumeRunnable() {
        assumeTrue(skipReason == null, () -> "skipped: " + skipReason);
    }

    /** Starts the processes and waits until each is in its namespaces; checks that it is in exactly those. */
    static MadeNamespaces start() throws Exception {
        MadeNamespaces made = new MadeNamespaces();
        made.skipReason = cannotRun();
        if (made.skipReason == null) {
            made.startAll();
        }
        return made;
    }

    private void startAll() throws Exception {
        shutdownHook = new Thread(this::stopQuietly, "nsscope-live-it-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        jvmLinks =
                LiveHost.read((int) ProcessHandle.current().pid()).orElseThrow().links();
        workDir = Files.createTempDirectory("nsscope-it-" + run);
        commands = new StartedCommands(workDir);
        // Two names for sleep, so that the tree has siblings whose name order differs from their PID order.
        Path sleep = LiveHost.tool("sleep").orElseThrow().toRealPath();
        Path zz = Files.createSymbolicLink(workDir.resolve("zz-sleeper"), sleep);
        Path aa = Files.createSymbolicLink(workDir.resolve("aa-sleeper"), sleep);

        // A PID and mount namespace whose init (sleep) has two children: zz-sleeper (lower PID), aa-sleeper.
        Started pidmnt = commands.start(
                "pidmnt",
                "unshare",
                "-p",
                "-f",
                "-m",
                "--mount-proc",
                "sh",
                "-c",
                zz + " " + arg(1) + " & " + aa + " " + arg(2) + " & exec sleep " + arg(0));
        Started net = commands.start("net", "unshare", "-n", "sleep", arg(10));
        Started uts = commands.start("uts", "unshare", "-u", "sleep", arg(20));
        Started ipc = commands.start("ipc", "unshare", "-i", "sleep", arg(30));
        Started user = null;
        if (LiveHost.kernelHas("user") && maxUserNamespaces() > 0) {
            user = commands.start("user", "unshare", "-U", "sleep", arg(40));
        } else {
            notExercised.add("user: the kernel has no user namespaces (or user.max_user_namespaces is 0)");
        }
        Started cgroup = null;
        if (LiveHost.kernelHas("cgroup")) {
            cgroup = commands.start("cgroup", "unshare", "-C", "sleep", arg(50));
        } else {
            notExercised.add("cgroup: the kernel has no cgroup namespaces");
        }
        Started time = null;
        if (LiveHost.kernelHas("time")) {
            // unshare(CLONE_NEWTIME) only moves the children: fork so that a process is in it.
            time = commands.start("time", "unshare", "-T", "-f", "sleep", arg(60));
        } else {
            notExercised.add("time: the kernel has no time namespaces (Linux 5.6+, CONFIG_TIME_NS)");
        }
        Started named = null;
        Optional<Path> ip = LiveHost.tool("ip");
        if (ip.isPresent()) {
            LiveHost.run(LsnsRows.TOOL_TIMEOUT, ip.get().toString(), "netns", "add", netns)
                    .requireSuccess();
            netnsAdded = true;
            // ip netns exec also gives the command a mount namespace of its own (to remount /sys).
            named = commands.start("netns", ip.get().toString(), "netns", "exec", netns, "sleep", arg(70));
        } else {
            notExercised.add("named network namespace: ip (iproute2) is not installed");
        }

        // Wait for each process to be in place: exec'd with its final arguments, children forked.
        Proc unshareP = awaitProc(
                pidmnt,
                () -> LiveHost.read(pidmnt.pid()),
                List.of(
                        "unshare",
                        "-p",
                        "-f",
                        "-m",
                        "--mount-proc",
                        "sh",
                        "-c",
                        zz + " " + arg(1) + " & " + aa + " " + arg(2) + " & exec sleep " + arg(0)));
        Proc init =
                awaitProc(pidmnt, () -> childWith(unshareP.pid(), List.of("sleep", arg(0))), List.of("sleep", arg(0)));
        Proc zzP = awaitProc(
                pidmnt, () -> childWith(init.pid(), List.of(zz.toString(), arg(1))), List.of(zz.toString(), arg(1)));
        Proc aaP = awaitProc(
                pidmnt, () -> childWith(init.pid(), List.of(aa.toString(), arg(2))), List.of(aa.toString(), arg(2)));
        role("pidmnt/unshare", unshareP, "mnt", "pid_for_children");
        role("pidmnt/init", init, "mnt", "pid", "pid_for_children");
        role("pidmnt/zz", zzP, "mnt", "pid", "pid_for_children");
        role("pidmnt/aa", aaP, "mnt", "pid", "pid_for_children");
        role("net", awaitOwn(net, "sleep", arg(10)), "net");
        role("uts", awaitOwn(uts, "sleep", arg(20)), "uts");
        role("ipc", awaitOwn(ipc, "sleep", arg(30)), "ipc");
        if (user != null) {
            role("user", awaitOwn(user, "sleep", arg(40)), "user");
        }
        if (cgroup != null) {
            role("cgroup", awaitOwn(cgroup, "sleep", arg(50)), "cgroup");
        }
        if (time != null) {
            Started t = time;
            Proc timeUnshare = awaitOwn(t, "unshare", "-T", "-f", "sleep", arg(60));
            Proc timeChild = awaitProc(
                    t, () -> childWith(timeUnshare.pid(), List.of("sleep", arg(60))), List.of("sleep", arg(60)));
            role("time/unshare", timeUnshare, "time_for_children");
            role("time/child", timeChild, "time", "time_for_children");
        }
        if (named != null) {
            role("netns", awaitOwn(named, "sleep", arg(70)), "net", "mnt");
        }

        // The set-up itself is checked: each process is isolated from the JVM on exactly the links it should be.
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Proc> e : ours.entrySet()) {
            Proc p = e.getValue();
            assertEquals(
                    LiveHost.LINKS,
                    List.copyOf(p.links().keySet()),
                    e.getKey() + " (PID " + p.pid() + "): not every ns link is readable");
            Set<String> differing = new TreeSet<>();
            for (String link : LiveHost.LINKS) {
                if (!p.links().get(link).equals(jvmLinks.get(link))) {
                    differing.add(link);
                }
            }
            if (!differing.equals(new TreeSet<>(unsharedLinks.get(e.getKey())))) {
                wrong.add(e.getKey() + " (PID " + p.pid() + ") differs from the JVM on " + differing + ", expected "
                        + new TreeSet<>(unsharedLinks.get(e.getKey())));
            }
            for (String type : LiveHost.TYPES) {
                Long ns = p.links().get(type);
                if (!ns.equals(jvmLinks.get(type))) {
                    created.computeIfAbsent(new NsKey(ns, type), k -> new TreeSet<>())
                            .add(p.pid());
                }
            }
        }
        assertEquals(List.of(), wrong, "the test's processes are not in the namespaces it meant to make");
        System.out.println("[MadeNamespaces] run " + run + ": processes "
                + ours.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().pid())
                        .collect(Collectors.joining(", "))
                + "; namespaces made " + created.keySet()
                + (notExercised.isEmpty() ? "" : "; not exercised: " + notExercised));
    }

    /**
     * Stops everything (see {@link #stop()}), then asserts that nothing of this run remains: no process with its
     * mark, none of its processes (zombies included, identified by PID and start time), no network namespace.
     */
    void stopAndAssertNothingLeft() {
        List<String> failures = stop();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook has run or will find nothing to do.
            }
        }
        assertEquals(List.of(), failures, "cleaning up failed");
        await().atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() ->
                        assertEquals(List.of(), leftovers(), "processes of run " + run + " remain after clean-up"));
        assertFalse(Files.exists(Path.of("/run/netns", netns)), "/run/netns/" + netns + " remains");
        Optional<Path> ip = LiveHost.tool("ip");
        if (ip.isPresent() && LiveHost.isRoot()) {
            String list = LiveHost.run(LsnsRows.TOOL_TIMEOUT, ip.get().toString(), "netns", "list")
                    .out();
            assertFalse(
                    list.lines().anyMatch(l -> l.split("\\s+")[0].equals(netns)),
                    "ip netns list still shows " + netns + ":\n" + list);
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            // Best effort at JVM exit.
        }
    }

    /**
     * Kills everything this run started (see {@link StartedCommands#stopAll()}) and deletes what it made.
     */
    private synchronized List<String> stop() {
        List<String> failures = new ArrayList<>();
        if (stopped) {
            return failures;
        }
        stopped = true;
        if (commands != null) {
            failures.addAll(commands.stopAll());
        }
        if (netnsAdded) {
            Optional<Path> ip = LiveHost.tool("ip");
            Result r =
                    LiveHost.run(LsnsRows.TOOL_TIMEOUT, ip.map(Path::toString).orElse("ip"), "netns", "delete", netns);
            if (r.exit() != 0) {
                failures.add("ip netns delete " + netns + " failed: " + r.err());
            } else {
                netnsAdded = false;
            }
        }
        if (workDir != null) {
            try (var files = Files.list(workDir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(workDir);
            } catch (IOException e) {
                failures.add("cannot delete " + workDir + ": " + e);
            }
        }
        return failures;
    }

    /** What remains of this run: processes with its mark, or any of its processes (even as zombies). */
    private List<String> leftovers() {
        List<String> left = new ArrayList<>();
        for (Proc p : LiveHost.readAll().values()) {
            boolean marked = p.cmdline() != null && p.cmdline().contains(mark);
            boolean ourProcess = ours.values().stream().anyMatch(o -> o.sameProcessAs(p));
            if (marked || ourProcess) {
                left.add(p.pid() + " " + p.state() + " " + p.comm() + " " + p.lsnsCommand());
            }
        }
        return left;
    }

    /** The argument that marks a process of this run: {@code 3000.<run><nn>}, a valid duration for sleep. */
    private String arg(int n) {
        return mark + String.format("%02d", n);
    }

    private void role(String role, Proc proc, String... unshared) {
        ours.put(role, proc);
        unsharedLinks.put(role, Set.of(unshared));
    }

    private static long maxUserNamespaces() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/sys/user/max_user_namespaces"))
                    .trim());
        } catch (IOException | NumberFormatException e) {
            return 1; // No such knob: not limited.
        }
    }

    /** The parent of one of the test's processes, or -1. */
    int parentOf(int pid) {
        return ours.values().stream()
                .filter(p -> p.pid() == pid)
                .findFirst()
                .map(Proc::ppid)
                .orElse(-1);
    }
}
