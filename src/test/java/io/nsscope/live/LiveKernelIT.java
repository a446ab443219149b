package io.nsscope.live;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.live.LiveHost.Proc;
import io.nsscope.live.LiveHost.Result;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * nsscope on the real {@code /proc} of this host against the reference tools, for namespaces the test makes itself.
 *
 * <p>Before the tests, processes are started in new namespaces of every type with {@code unshare(1)} (a PID and mount
 * namespace with a small process tree in it, then net, uts, ipc, user, cgroup and time namespaces one process each)
 * and in a named network namespace with {@code ip netns}. Each of them has an argument carrying this run's mark
 * ({@code sleep 3000.<run><nn>}), so that they are easy to find and to tell from another run's. The tests then
 * compare nsscope's answers, taken with {@code ?refresh=true} right after the reference tool ran, with
 * {@code lsns -J -l --output-all} (also with {@code -p} and {@code -t}), {@code lsns -l NS},
 * {@code readlink /proc/PID/ns/*}, the {@code NSpid} line of {@code /proc/PID/status} and {@code pstree -pTN TYPE}.
 * For the namespaces the test made the comparison is exact, field by field and line by line. The host's own
 * namespaces are compared as far as a live host allows: every namespace that had a process all along (read before
 * lsns and again after nsscope's answer) must be in both, with the same fields where both name the same unchanged
 * lowest process.
 *
 * <p>Each test is skipped (never failed) when not root, or when unshare, lsns, setsid, sleep, sh, readlink or kill
 * is missing; the pstree comparison when pstree is missing, the lsns self-count when nsenter is, the named network
 * namespace when ip is missing, and user, cgroup and time namespaces when the kernel lacks them. Everything started
 * is killed, innermost first, and the network namespace deleted, in {@link #stopEverything()} (also from a shutdown
 * hook), which then asserts that nothing of this run remains.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LiveKernelIT {

    /** The longest the test waits for a started process to be in place. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    /** The longest a reference tool may run (lsns on a busy host reads thousands of processes). */
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
    /** The lsns columns that nsscope fills. */
    private static final List<String> FIELDS = List.of("ns", "type", "path", "nprocs", "pid", "ppid", "command", "uid",
            "user", "netnsid", "nsfs", "pns", "ons");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** This run's number: it goes into every argument list and name, so two runs never mix. */
    static final String RUN = String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    /** What every process of this run has in its arguments. */
    static final String MARK = "3000." + RUN;
    static final String NETNS = "nsscope-it-" + RUN;

    /** A process started by the test (its direct child), with the files it needs. */
    record Started(String kind, Process process, Path stderr) {
    }

    /** A namespace: inode and type. */
    record NsKey(long ns, String type) implements Comparable<NsKey> {

        @Override
        public int compareTo(NsKey other) {
            int c = Long.compare(ns, other.ns);
            return c != 0 ? c : type.compareTo(other.type);
        }

        @Override
        public String toString() {
            return type + ":[" + ns + "]";
        }
    }

    static final List<Started> started = Collections.synchronizedList(new ArrayList<>());
    /** Every process of the test once in place, by role ({@code pidmnt/init}...). */
    static final Map<String, Proc> ours = new LinkedHashMap<>();
    /** For each role, the links of /proc/PID/ns that must differ from the test JVM's. */
    static final Map<String, Set<String>> unsharedLinks = new LinkedHashMap<>();
    /** The namespaces the test made, with the PIDs of the test's processes in each. */
    static final Map<NsKey, TreeSet<Integer>> created = new TreeMap<>();
    /** Kinds of namespace not exercised on this host, with the reason. */
    static final List<String> notExercised = new ArrayList<>();
    static Map<String, Long> jvmLinks = Map.of();
    static Path workDir;
    static volatile boolean netnsAdded;
    static Thread shutdownHook;
    static boolean stopped;
    static String skipReason;

    @LocalServerPort
    int port;

    // ---------------------------------------------------------------------------------------------------------
    // Setting up and tearing down
    // ---------------------------------------------------------------------------------------------------------

    /** Why the tests cannot run here (each is then skipped), or null. */
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

    @BeforeAll
    static void startProcessesInNewNamespaces() throws Exception {
        skipReason = cannotRun();
        if (skipReason != null) {
            return; // Each test is skipped (see requirements()): reported as skipped, not as nothing.
        }

        shutdownHook = new Thread(LiveKernelIT::stopQuietly, "nsscope-live-it-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        jvmLinks = LiveHost.read((int) ProcessHandle.current().pid()).orElseThrow().links();
        workDir = Files.createTempDirectory("nsscope-it-" + RUN);
        // Two names for sleep, so that the tree has siblings whose name order differs from their PID order.
        Path sleep = LiveHost.tool("sleep").orElseThrow().toRealPath();
        Path zz = Files.createSymbolicLink(workDir.resolve("zz-sleeper"), sleep);
        Path aa = Files.createSymbolicLink(workDir.resolve("aa-sleeper"), sleep);

        // A PID and mount namespace whose init (sleep) has two children: zz-sleeper (lower PID), aa-sleeper.
        Started pidmnt = start("pidmnt", "unshare", "-p", "-f", "-m", "--mount-proc", "sh", "-c",
                zz + " " + arg(1) + " & " + aa + " " + arg(2) + " & exec sleep " + arg(0));
        Started net = start("net", "unshare", "-n", "sleep", arg(10));
        Started uts = start("uts", "unshare", "-u", "sleep", arg(20));
        Started ipc = start("ipc", "unshare", "-i", "sleep", arg(30));
        Started user = null;
        if (LiveHost.kernelHas("user") && maxUserNamespaces() > 0) {
            user = start("user", "unshare", "-U", "sleep", arg(40));
        } else {
            notExercised.add("user: the kernel has no user namespaces (or user.max_user_namespaces is 0)");
        }
        Started cgroup = null;
        if (LiveHost.kernelHas("cgroup")) {
            cgroup = start("cgroup", "unshare", "-C", "sleep", arg(50));
        } else {
            notExercised.add("cgroup: the kernel has no cgroup namespaces");
        }
        Started time = null;
        if (LiveHost.kernelHas("time")) {
            // unshare(CLONE_NEWTIME) only moves the children: fork so that a process is in it.
            time = start("time", "unshare", "-T", "-f", "sleep", arg(60));
        } else {
            notExercised.add("time: the kernel has no time namespaces (Linux 5.6+, CONFIG_TIME_NS)");
        }
        Started netns = null;
        Optional<Path> ip = LiveHost.tool("ip");
        if (ip.isPresent()) {
            LiveHost.run(TOOL_TIMEOUT, ip.get().toString(), "netns", "add", NETNS).requireSuccess();
            netnsAdded = true;
            // ip netns exec also gives the command a mount namespace of its own (to remount /sys).
            netns = start("netns", ip.get().toString(), "netns", "exec", NETNS, "sleep", arg(70));
        } else {
            notExercised.add("named network namespace: ip (iproute2) is not installed");
        }

        // Wait for each process to be in place: exec'd with its final arguments, children forked.
        Proc unshareP = awaitProc(pidmnt, () -> LiveHost.read(pid(pidmnt)), List.of("unshare", "-p", "-f", "-m",
                "--mount-proc", "sh", "-c", zz + " " + arg(1) + " & " + aa + " " + arg(2) + " & exec sleep " + arg(0)));
        Proc init = awaitProc(pidmnt, () -> childWith(unshareP.pid(), List.of("sleep", arg(0))),
                List.of("sleep", arg(0)));
        Proc zzP = awaitProc(pidmnt, () -> childWith(init.pid(), List.of(zz.toString(), arg(1))),
                List.of(zz.toString(), arg(1)));
        Proc aaP = awaitProc(pidmnt, () -> childWith(init.pid(), List.of(aa.toString(), arg(2))),
                List.of(aa.toString(), arg(2)));
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
            Proc timeChild = awaitProc(t, () -> childWith(timeUnshare.pid(), List.of("sleep", arg(60))),
                    List.of("sleep", arg(60)));
            role("time/unshare", timeUnshare, "time_for_children");
            role("time/child", timeChild, "time", "time_for_children");
        }
        if (netns != null) {
            role("netns", awaitOwn(netns, "sleep", arg(70)), "net", "mnt");
        }

        // The set-up itself is checked: each process is isolated from the JVM on exactly the links it should be.
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Proc> e : ours.entrySet()) {
            Proc p = e.getValue();
            assertEquals(LiveHost.LINKS, List.copyOf(p.links().keySet()),
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
                    created.computeIfAbsent(new NsKey(ns, type), k -> new TreeSet<>()).add(p.pid());
                }
            }
        }
        assertEquals(List.of(), wrong, "the test's processes are not in the namespaces it meant to make");
        System.out.println("[LiveKernelIT] run " + RUN + ": processes " + ours.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().pid()).collect(Collectors.joining(", "))
                + "; namespaces made " + created.keySet()
                + (notExercised.isEmpty() ? "" : "; not exercised: " + notExercised));
    }

    @BeforeEach
    void requirements() {
        assumeTrue(skipReason == null, () -> "skipped: " + skipReason);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        List<String> failures = stop();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook has run or will find nothing to do.
            }
        }
        // Nothing of this run may remain: no process with its mark, none of its processes (zombies included,
        // identified by PID and start time), no network namespace.
        List<String> leftovers = List.of();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        do {
            leftovers = leftovers();
            if (leftovers.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertEquals(List.of(), failures, "cleaning up failed");
        assertEquals(List.of(), leftovers, "processes of run " + RUN + " remain after clean-up");
        assertFalse(Files.exists(Path.of("/run/netns", NETNS)), "/run/netns/" + NETNS + " remains");
        Optional<Path> ip = LiveHost.tool("ip");
        if (ip.isPresent() && LiveHost.isRoot()) {
            String list = LiveHost.run(TOOL_TIMEOUT, ip.get().toString(), "netns", "list").out();
            assertFalse(list.lines().anyMatch(l -> l.split("\\s+")[0].equals(NETNS)),
                    "ip netns list still shows " + NETNS + ":\n" + list);
        }
    }

    private static void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            // Best effort at JVM exit.
        }
    }

    /**
     * Kills everything this run started and deletes what it made. Innermost first, so that each process is reaped
     * by its own parent at once (killing its forked child makes {@code unshare -f} exit, and the JVM reaps it)
     * rather than left a zombie until PID 1 reaps orphans. Then each process group is killed as a fallback.
     */
    private static synchronized List<String> stop() {
        List<String> failures = new ArrayList<>();
        if (stopped) {
            return failures;
        }
        stopped = true;
        List<Started> all;
        synchronized (started) {
            all = new ArrayList<>(started);
        }
        Collections.reverse(all);
        for (Started s : all) {
            try {
                long pid = s.process().pid();
                List<Proc> children = LiveHost.children((int) pid);
                for (Proc child : children) {
                    ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly);
                }
                if (children.isEmpty() || !s.process().waitFor(5, TimeUnit.SECONDS)) {
                    s.process().destroyForcibly();
                }
                if (!s.process().waitFor(5, TimeUnit.SECONDS)) {
                    failures.add(s.kind() + ": PID " + pid + " did not exit after SIGKILL");
                }
                // The group outlives its leader while it has members, so its ID cannot have been reused.
                if (LiveHost.readAll().values().stream().anyMatch(p -> p.pgrp() == pid)) {
                    LiveHost.run(TOOL_TIMEOUT, "kill", "-KILL", "--", "-" + pid);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(s.kind() + ": interrupted while stopping");
            } catch (RuntimeException e) {
                failures.add(s.kind() + ": " + e);
            }
        }
        if (netnsAdded) {
            Optional<Path> ip = LiveHost.tool("ip");
            Result r = LiveHost.run(TOOL_TIMEOUT, ip.map(Path::toString).orElse("ip"), "netns", "delete", NETNS);
            if (r.exit() != 0) {
                failures.add("ip netns delete " + NETNS + " failed: " + r.err());
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
    private static List<String> leftovers() {
        List<String> left = new ArrayList<>();
        for (Proc p : LiveHost.readAll().values()) {
            boolean marked = p.cmdline() != null && p.cmdline().contains(MARK);
            boolean ourProcess = ours.values().stream().anyMatch(o -> o.sameProcessAs(p));
            if (marked || ourProcess) {
                left.add(p.pid() + " " + p.state() + " " + p.comm() + " " + p.lsnsCommand());
            }
        }
        return left;
    }

    /** Starts a command as a direct child of this JVM, in a session (and process group) of its own. */
    private static Started start(String kind, String... command) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(LiveHost.tool("setsid").orElseThrow().toString());
        argv.addAll(List.of(command));
        Path stderr = workDir.resolve(kind + ".stderr");
        Process process = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile())
                .start();
        // setsid(1) execs without forking when its caller is not a group leader, as a JVM's child is not: the
        // process keeps its PID and leads a process group of its own, which the clean-up kills last.
        Started s = new Started(kind, process, stderr);
        started.add(s);
        return s;
    }

    private static int pid(Started s) {
        return (int) s.process().pid();
    }

    /** The argument that marks a process of this run: {@code 3000.<run><nn>}, a valid duration for sleep. */
    private static String arg(int n) {
        return MARK + String.format("%02d", n);
    }

    private static void role(String role, Proc proc, String... unshared) {
        ours.put(role, proc);
        unsharedLinks.put(role, Set.of(unshared));
    }

    private static Optional<Proc> childWith(int parent, List<String> argv) {
        return LiveHost.children(parent).stream().filter(p -> p.argv().equals(argv)).findFirst();
    }

    private static Proc awaitOwn(Started s, String... argv) throws InterruptedException {
        return awaitProc(s, () -> LiveHost.read(pid(s)), List.of(argv));
    }

    /**
     * Polls (bounded) until the process found by {@code finder} has these arguments: exec'd, so that every
     * namespace it is to be in is in place. Fails with the command's stderr if it exits meanwhile.
     */
    private static Proc awaitProc(Started s, Supplier<Optional<Proc>> finder, List<String> argv)
            throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            Optional<Proc> p = finder.get();
            if (p.isPresent() && p.get().argv().equals(argv) && p.get().links().size() == LiveHost.LINKS.size()) {
                return p.get();
            }
            if (!s.process().isAlive()) {
                fail(s.kind() + ": the command exited with status " + s.process().exitValue() + ": "
                        + readQuietly(s.stderr()));
            }
            if (System.nanoTime() > deadline) {
                fail(s.kind() + ": no process " + argv + " after " + READY_TIMEOUT + " (found " + p + "); stderr: "
                        + readQuietly(s.stderr()));
            }
            Thread.sleep(20);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static long maxUserNamespaces() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/sys/user/max_user_namespaces")).trim());
        } catch (IOException | NumberFormatException e) {
            return 1; // No such knob: not limited.
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tests
    // ---------------------------------------------------------------------------------------------------------

    /** Every namespace type was made and compared (skipped where the kernel or a tool lacks one). */
    @Test
    void everyNamespaceTypeIsExercised() {
        assumeTrue(notExercised.isEmpty(), "not exercised here: " + notExercised);
        assertEquals(new TreeSet<>(LiveHost.TYPES),
                created.keySet().stream().map(NsKey::type).collect(Collectors.toCollection(TreeSet::new)));
        // pidmnt: mnt + pid; net, uts, ipc, user, cgroup, time: one each; ip netns exec: net + mnt.
        assertEquals(10, created.size(), "namespaces made: " + created.keySet());
    }

    /**
     * {@code GET /namespaces?refresh=true} right after {@code lsns -J -l --output-all}: every namespace the test made
     * is in both, with every field equal, and as the test made it (its processes, no one else's).
     */
    @Test
    void namespacesTheTestMadeAgreeWithLsns() {
        assertFalse(created.isEmpty());
        Map<NsKey, JsonNode> lsns = index(lsns("-J", "-l", "--output-all"));
        Map<NsKey, JsonNode> nsscope = index(json(get("/namespaces?refresh=true", "application/json")));

        List<String> problems = new ArrayList<>();
        for (Map.Entry<NsKey, TreeSet<Integer>> e : created.entrySet()) {
            NsKey key = e.getKey();
            JsonNode l = lsns.get(key);
            JsonNode n = nsscope.get(key);
            if (l == null || n == null) {
                problems.add(key + ": " + (l == null ? "not listed by lsns " : "")
                        + (n == null ? "not listed by nsscope" : ""));
                continue;
            }
            compareFields(key.toString(), l, n, FIELDS, problems);
            // As made: exactly the test's processes, the lowest PID first.
            TreeSet<Integer> members = e.getValue();
            expect(problems, key + " lsns nprocs", members.size(), l.get("nprocs").asInt());
            expect(problems, key + " lsns pid", members.first(), l.get("pid").asInt());
            expect(problems, key + " lsns path", "/proc/" + members.first() + "/ns/" + key.type(), text(l.get("path")));
        }
        assertEquals(List.of(), problems, "nsscope and lsns disagree on the namespaces the test made");
    }

    /**
     * {@code GET /namespaces?pid=PID} against {@code lsns -p PID}: the same eight namespaces in the same order, the
     * test's own namespaces equal in every field, the host's ones in every field but NPROCS when they name the same
     * lowest process (their process counts move with the host).
     */
    @Test
    void pidFilterAgreesWithLsnsP() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        Map<Integer, Proc> before = LiveHost.readAll();
        Map<Integer, List<JsonNode[]>> hostRowsByPid = new HashMap<>();
        for (String role : List.of("pidmnt/init", "pidmnt/unshare", "netns", "time/child", "user", "cgroup")) {
            Proc p = ours.get(role);
            if (p == null) {
                continue;
            }
            checked++;
            List<JsonNode> l = rows(lsns("-J", "-l", "--output-all", "-p", Integer.toString(p.pid())));
            List<JsonNode> n = rows(json(get("/namespaces?pid=" + p.pid() + "&refresh=true", "application/json")));
            List<NsKey> lKeys = l.stream().map(LiveKernelIT::key).toList();
            List<NsKey> nKeys = n.stream().map(LiveKernelIT::key).toList();
            if (!lKeys.equals(nKeys)) {
                problems.add(role + " (PID " + p.pid() + "): lsns -p lists " + lKeys + ", nsscope ?pid= lists "
                        + nKeys);
                continue;
            }
            expect(problems, role + " number of namespaces", (int) LiveHost.TYPES.stream().filter(LiveHost::kernelHas)
                    .count(), nKeys.size());
            for (int i = 0; i < l.size(); i++) {
                NsKey key = lKeys.get(i);
                if (created.containsKey(key)) {
                    compareFields(role + " " + key, l.get(i), n.get(i), FIELDS, problems);
                } else if (l.get(i).get("pid").asInt() == n.get(i).get("pid").asInt()) {
                    hostRowsByPid.computeIfAbsent(l.get(i).get("pid").asInt(), k -> new ArrayList<>())
                            .add(new JsonNode[] {l.get(i), n.get(i)});
                }
            }
        }
        // The host's rows name the same lowest process in both: compared when it did not change meanwhile.
        Map<Integer, Proc> unchanged = unchanged(before, LiveHost.readAll());
        hostRowsByPid.forEach((pid, pairs) -> {
            if (unchanged.containsKey(pid)) {
                for (JsonNode[] pair : pairs) {
                    compareFields("host " + key(pair[0]), pair[0], pair[1],
                            List.of("ns", "type", "path", "pid", "ppid", "command", "uid", "user"), problems);
                }
            }
        });
        assertTrue(checked > 0);
        assertEquals(List.of(), problems, "nsscope ?pid= and lsns -p disagree");
    }

    /**
     * The host's namespaces (most of them not the test's): a live host has processes coming and going between the
     * lsns run and nsscope's scan, so the sets are compared through the processes that lived all along. The
     * processes of the host are read before lsns runs and again after nsscope answers; a process present in both
     * reads (same PID and start time) with the same namespace link in both was in that namespace during both
     * reads, so the namespace must be in both lists. A namespace listed by only one of them may only be one
     * without such a process (all its processes came or went in between). The lsns process itself is such a
     * transient process: it is exec'd directly by the JVM (no shell), so it is the only process lsns adds, it is
     * in the JVM's namespaces, and it is counted in their NPROCS, which is checked. Where both name the same
     * lowest process and that process did not change between the two reads, every field but NPROCS must agree.
     */
    @Test
    void hostNamespacesAgreeWithLsns() {
        compareOnTheLiveHost(LiveHost.TYPES, List.of(), "");
    }

    /** The same with a type filter: {@code ?type=pid&type=time} against {@code lsns -t pid -t time}. */
    @Test
    void typeFilterAgreesWithLsnsT() {
        List<String> types = LiveHost.kernelHas("time") ? List.of("pid", "time") : List.of("pid", "mnt");
        compareOnTheLiveHost(types, types.stream().flatMap(t -> java.util.stream.Stream.of("-t", t)).toList(),
                types.stream().map(t -> "type=" + t + "&").collect(Collectors.joining()));
    }

    /**
     * {@code lsns -J -l --output-all <lsnsFilter>} against {@code GET /namespaces?<query>refresh=true} on the live
     * host, as explained on {@link #hostNamespacesAgreeWithLsns()}: namespaces of these types only.
     */
    private void compareOnTheLiveHost(List<String> types, List<String> lsnsFilter, String query) {
        Map<Integer, Proc> before = LiveHost.readAll();
        List<String> lsnsArgs = new ArrayList<>(List.of("-J", "-l", "--output-all"));
        lsnsArgs.addAll(lsnsFilter);
        Result lsnsRun = lsnsRun(lsnsArgs.toArray(String[]::new));
        // lsns 2.38 lists only namespaces with processes: persistent=false asks nsscope for the same
        JsonNode nsscopeAnswer = json(get("/namespaces?" + query + "persistent=false&refresh=true",
                "application/json"));
        Map<Integer, Proc> after = LiveHost.readAll();
        String what = "lsns " + String.join(" ", lsnsArgs) + " vs /namespaces?" + query + "refresh=true";

        List<JsonNode> nsscopeRows = rows(nsscopeAnswer);
        List<NsKey> order = nsscopeRows.stream().map(LiveKernelIT::key).toList();
        List<NsKey> sorted = new ArrayList<>(order);
        sorted.sort(Comparator.naturalOrder());
        assertEquals(sorted, order, "nsscope's namespaces are not sorted by ns");
        assertEquals(order.size(), new HashSet<>(order).size(), "nsscope lists a namespace twice");

        Map<NsKey, JsonNode> lsns = index(json(lsnsRun.out()));
        Map<NsKey, JsonNode> nsscope = index(nsscopeAnswer);
        Map<NsKey, Set<Integer>> stable = livedAllAlong(before, after);
        stable.keySet().removeIf(key -> !types.contains(key.type()));
        Map<Integer, Proc> unchanged = unchanged(before, after);
        assertTrue(stable.keySet().containsAll(created.keySet().stream().filter(k -> types.contains(k.type()))
                .toList()), "the test's processes did not live all along");

        List<String> problems = new ArrayList<>();
        for (NsKey key : nsscope.keySet()) {
            if (!types.contains(key.type())) {
                problems.add(key + ": listed by nsscope, not of the types " + types);
            }
        }
        for (Map.Entry<NsKey, Set<Integer>> e : stable.entrySet()) {
            NsKey key = e.getKey();
            if (!lsns.containsKey(key)) {
                problems.add(key + ": not listed by lsns though its processes " + e.getValue() + " lived all along");
            }
            if (!nsscope.containsKey(key)) {
                problems.add(key + ": not listed by nsscope though its processes " + e.getValue() + " lived all along");
            }
        }
        Set<NsKey> both = new TreeSet<>(lsns.keySet());
        both.retainAll(nsscope.keySet());
        int transientOnlyLsns = 0;
        int transientOnlyNsscope = 0;
        for (NsKey key : lsns.keySet()) {
            if (!nsscope.containsKey(key) && !stable.containsKey(key)) {
                transientOnlyLsns++;
            }
        }
        for (NsKey key : nsscope.keySet()) {
            if (!lsns.containsKey(key) && !stable.containsKey(key)) {
                transientOnlyNsscope++;
            }
        }
        int compared = 0;
        int lowestDiffers = 0;
        int lowestChanged = 0;
        for (NsKey key : both) {
            JsonNode l = lsns.get(key);
            JsonNode n = nsscope.get(key);
            Set<Integer> lived = stable.getOrDefault(key, Set.of());
            int lPid = l.get("pid").asInt();
            int nPid = n.get("pid").asInt();
            if (lPid != nPid) {
                lowestDiffers++;
                int lower = Math.min(lPid, nPid);
                if (lived.contains(lower)) {
                    problems.add(key + ": lowest PID lsns=" + lPid + " nsscope=" + nPid + ", though " + lower
                            + " was in it all along");
                }
            } else if (lived.contains(lPid) && unchanged.containsKey(lPid)) {
                compared++;
                compareFields(key.toString(), l, n, List.of("ns", "type", "path", "pid", "ppid", "command", "uid",
                        "user"), problems);
            } else {
                lowestChanged++;
            }
            // NPROCS: at least the processes there all along; lsns also counts itself in the JVM's namespaces.
            boolean lsnsIsIn = key.ns() == jvmLinks.getOrDefault(key.type(), -1L);
            int atLeast = lived.size();
            if (n.get("nprocs").asInt() < atLeast) {
                problems.add(key + ": nsscope nprocs " + n.get("nprocs").asInt() + " < " + atLeast
                        + " processes in it all along " + lived);
            }
            if (l.get("nprocs").asInt() < atLeast + (lsnsIsIn ? 1 : 0)) {
                problems.add(key + ": lsns nprocs " + l.get("nprocs").asInt() + " < " + atLeast
                        + " processes in it all along"
                        + (lsnsIsIn ? " + lsns itself (PID " + lsnsRun.pid() + ")" : ""));
            }
        }
        System.out.println("[LiveKernelIT] " + what + ": lsns " + lsns.size() + " namespaces, nsscope " + nsscope.size()
                + ", with a process all along " + stable.size() + ", fields compared " + compared
                + " (not: lowest PID differs " + lowestDiffers + ", lowest process came, went or changed "
                + lowestChanged + ")"
                + ", transient only in lsns " + transientOnlyLsns + ", only in nsscope " + transientOnlyNsscope);
        assertTrue(compared > 0, "no host namespace could be compared field by field");
        assertEquals(List.of(), problems, what + ": nsscope and lsns disagree on the host's namespaces");
    }

    /**
     * lsns counts the processes it sees, itself included. Run inside the test's UTS namespace (with
     * {@code nsenter}, which execs it: no extra process), lsns finds exactly the test's process and itself there,
     * while nsscope, which starts no process, finds the test's process alone: lsns's NPROCS is nsscope's plus one,
     * and its PID the lower of the two.
     */
    @Test
    void lsnsCountsItselfWhereItRuns() {
        Optional<Path> nsenter = LiveHost.tool("nsenter");
        assumeTrue(nsenter.isPresent(), "nsenter is not installed");
        Proc uts = ours.get("uts");
        assertNotNull(uts);
        NsKey key = new NsKey(uts.links().get("uts"), "uts");
        Result run = LiveHost.run(TOOL_TIMEOUT, nsenter.get().toString(), "-t", Integer.toString(uts.pid()), "-u",
                LiveHost.tool("lsns").orElseThrow().toString(), "-J", "-l", "--output-all", "-t", "uts")
                .requireSuccess();
        JsonNode l = index(json(run.out())).get(key);
        JsonNode n = index(json(get("/namespaces?type=uts&refresh=true", "application/json"))).get(key);
        assertNotNull(l, "lsns run in " + key + " does not list it");
        assertNotNull(n, "nsscope does not list " + key);
        int lowest = (int) Math.min(uts.pid(), run.pid());
        List<String> problems = new ArrayList<>();
        expect(problems, "lsns nprocs (the sleep and lsns)", 2, l.get("nprocs").asInt());
        expect(problems, "nsscope nprocs (the sleep)", 1, n.get("nprocs").asInt());
        expect(problems, "lsns pid", lowest, l.get("pid").asInt());
        expect(problems, "nsscope pid", uts.pid(), n.get("pid").asInt());
        if (lowest == uts.pid()) {
            compareFields(key.toString(), l, n, List.of("ns", "type", "path", "pid", "ppid", "command", "uid", "user"),
                    problems);
        }
        assertEquals(List.of(), problems, "lsns run inside " + key + " vs nsscope");
    }

    /**
     * {@code GET /namespaces/{ns}} against {@code lsns NS} (its processes) and the row of
     * {@code lsns -J -l --output-all}, for every namespace the test made.
     */
    @Test
    void namespaceDetailAgreesWithLsns() {
        assertFalse(created.isEmpty());
        List<String> problems = new ArrayList<>();
        Map<NsKey, JsonNode> lsnsRows = index(lsns("-J", "-l", "--output-all"));
        for (Map.Entry<NsKey, TreeSet<Integer>> e : created.entrySet()) {
            NsKey key = e.getKey();
            JsonNode row = lsnsRows.get(key);
            List<JsonNode> lsnsProcs = rows(lsns("-J", "-l", "-o", "PID,PPID,UID,USER,COMMAND",
                    Long.toString(key.ns())));
            JsonNode detail = json(get("/namespaces/" + key.ns() + "?refresh=true", "application/json"));
            if (row == null) {
                problems.add(key + ": not listed by lsns");
                continue;
            }
            compareFields(key.toString(), row, detail, FIELDS, problems);
            List<JsonNode> nsscopeProcs = new ArrayList<>(detail.get("processes").values());
            List<Integer> nsscopePids = nsscopeProcs.stream().map(p -> p.get("pid").asInt()).toList();
            expect(problems, key + " processes (as made, ascending)", List.copyOf(e.getValue()), nsscopePids);
            lsnsProcs.sort(Comparator.comparingInt(p -> p.get("pid").asInt()));
            if (lsnsProcs.size() != nsscopeProcs.size()) {
                problems.add(key + ": lsns NS lists " + lsnsProcs.size() + " processes, nsscope "
                        + nsscopeProcs.size());
                continue;
            }
            for (int i = 0; i < lsnsProcs.size(); i++) {
                compareFields(key + " process " + lsnsProcs.get(i).get("pid"), lsnsProcs.get(i), nsscopeProcs.get(i),
                        List.of("pid", "ppid", "uid", "user", "command"), problems);
            }
        }
        assertEquals(List.of(), problems, "nsscope /namespaces/{ns} and lsns NS disagree");
    }

    /**
     * {@code GET /processes/{pid}/ns} for every process of the test: the ten links against
     * {@code readlink /proc/PID/ns/*}, {@code nspid} against the {@code NSpid} line of its status (two levels in
     * the PID namespace, {@code [hostpid, 1]} for its init), and {@code sameAsInit} false exactly on the links the
     * process was unshared on.
     */
    @Test
    void processLinksAgreeWithReadlinkAndStatus() {
        // nsscope's "init": the lowest PID whose links can all be read (PID 1 on most hosts; 2 on this VM).
        Map<String, Long> initLinks = null;
        int initPid = 0;
        for (int pid : LiveHost.pids()) {
            Optional<Map<String, Long>> links = readlink(pid);
            if (links.isPresent()) {
                initLinks = links.get();
                initPid = pid;
                break;
            }
        }
        assertNotNull(initLinks, "no process has readable ns links");
        Set<String> jvmNotInit = new TreeSet<>();
        for (String link : LiveHost.LINKS) {
            if (!jvmLinks.get(link).equals(initLinks.get(link))) {
                jvmNotInit.add(link);
            }
        }

        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Proc> e : ours.entrySet()) {
            String role = e.getKey();
            Proc p = e.getValue();
            Map<String, Long> reference = readlink(p.pid()).orElseThrow(
                    () -> new AssertionError("readlink /proc/" + p.pid() + "/ns/* failed"));
            List<Integer> statusNspid = LiveHost.nspid(p.pid());
            JsonNode answer = json(get("/processes/" + p.pid() + "/ns?refresh=true", "application/json"));
            String what = role + " (PID " + p.pid() + ")";

            expect(problems, what + " pid", p.pid(), answer.get("pid").asInt());
            expect(problems, what + " command", p.lsnsCommand(), text(answer.get("command")));
            List<Integer> nspid = answer.get("nspid").values().stream().map(JsonNode::asInt).toList();
            expect(problems, what + " nspid vs NSpid of status", statusNspid, nspid);
            if (unsharedLinks.get(role).contains("pid")) {
                expect(problems, what + " NSpid levels", 2, statusNspid.size());
                if (role.equals("pidmnt/init")) {
                    expect(problems, what + " nspid of the namespace's init", List.of(p.pid(), 1), nspid);
                }
            } else {
                expect(problems, what + " NSpid", List.of(p.pid()), statusNspid);
            }

            List<JsonNode> links = new ArrayList<>(answer.get("namespaces").values());
            expect(problems, what + " link names", LiveHost.LINKS,
                    links.stream().map(l -> text(l.get("name"))).toList());
            Set<String> notInit = new TreeSet<>();
            for (JsonNode link : links) {
                String name = text(link.get("name"));
                expect(problems, what + " " + name + " type", LiveHost.typeOf(name), text(link.get("type")));
                expect(problems, what + " " + name + " ns vs readlink", reference.get(name),
                        link.get("ns").isNull() ? null : link.get("ns").asLong());
                expect(problems, what + " " + name + " path", "/proc/" + p.pid() + "/ns/" + name,
                        text(link.get("path")));
                boolean same = reference.get(name) != null && reference.get(name).equals(initLinks.get(name));
                expect(problems, what + " " + name + " sameAsInit (init is PID " + initPid + ")", same,
                        link.get("sameAsInit").isNull() ? null : link.get("sameAsInit").asBoolean());
                if (link.get("sameAsInit").isBoolean() && !link.get("sameAsInit").asBoolean()) {
                    notInit.add(name);
                }
            }
            Set<String> expectedNotInit = new TreeSet<>(unsharedLinks.get(role));
            expectedNotInit.addAll(jvmNotInit);
            expect(problems, what + " links not init's", expectedNotInit, notInit);
        }
        assertEquals(List.of(), problems, "nsscope /processes/{pid}/ns disagrees with readlink and status");
    }

    /**
     * {@code GET /trees/{type}} as text against {@code pstree -pTN type}: for every namespace the test made, the
     * lines of its group (from its {@code [inode]} header to the next header) are equal. The JSON form has the
     * test's process as the group's single root, with all its processes below it; kernel threads are in neither
     * text, and only in nsscope's answer with {@code kthreads=true}.
     */
    @Test
    void treesAgreeWithPstree() {
        Optional<Path> pstree = LiveHost.tool("pstree");
        assumeTrue(pstree.isPresent(), "pstree (psmisc) is not installed");
        Set<String> types = created.keySet().stream().map(NsKey::type).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(types.isEmpty());
        List<String> problems = new ArrayList<>();
        for (String type : types) {
            // -l: no truncation (nsscope never truncates); -A: ASCII lines (nsscope's default).
            String reference = LiveHost.run(TOOL_TIMEOUT, pstree.get().toString(), "-l", "-A", "-p", "-T", "-N", type)
                    .requireSuccess().out();
            String text = get("/trees/" + type + "?refresh=true", "text/plain");
            JsonNode tree = json(get("/trees/" + type + "?refresh=true", "application/json"));
            Map<Long, List<String>> pstreeGroups = groups(reference);
            Map<Long, List<String>> nsscopeGroups = groups(text);
            for (Map.Entry<NsKey, TreeSet<Integer>> e : created.entrySet()) {
                NsKey key = e.getKey();
                if (!key.type().equals(type)) {
                    continue;
                }
                List<String> expected = pstreeGroups.get(key.ns());
                List<String> actual = nsscopeGroups.get(key.ns());
                if (expected == null || expected.isEmpty()) {
                    problems.add(key + ": no group in pstree -N " + type);
                } else if (!expected.equals(actual)) {
                    problems.add(key + ": group differs\n--- pstree -pTN " + type + "\n" + String.join("\n", expected)
                            + "\n--- nsscope /trees/" + type + "\n"
                            + (actual == null ? "(none)" : String.join("\n", actual)));
                }
                // The JSON group: the member whose parent is outside the namespace is the single root.
                TreeSet<Integer> members = e.getValue();
                List<Integer> roots = members.stream().filter(pid -> !members.contains(parentOf(pid))).toList();
                JsonNode group = null;
                for (JsonNode g : tree.get("namespaces").values()) {
                    if (g.get("ns").asLong() == key.ns()) {
                        group = g;
                    }
                }
                if (group == null) {
                    problems.add(key + ": no group in /trees/" + type + " JSON");
                    continue;
                }
                List<Integer> jsonRoots = group.get("roots").values().stream().map(r -> r.get("pid").asInt()).toList();
                expect(problems, key + " JSON roots", roots, jsonRoots);
                List<Integer> all = new ArrayList<>();
                group.get("roots").values().forEach(r -> collectPids(r, all));
                Collections.sort(all);
                expect(problems, key + " JSON processes", List.copyOf(members), all);
            }
            if (reference.contains("kthreadd(") || text.contains("kthreadd(")) {
                problems.add(type + ": kthreadd drawn (pstree: " + reference.contains("kthreadd(") + ", nsscope: "
                        + text.contains("kthreadd(") + ")");
            }
        }
        // Kernel threads are there on demand.
        Optional<Proc> kthreadd = LiveHost.read(2).filter(p -> p.comm().equals("kthreadd"));
        if (kthreadd.isPresent() && kthreadd.get().links().containsKey("pid")) {
            JsonNode withKthreads = json(get("/trees/pid?kthreads=true&refresh=true", "application/json"));
            List<Integer> all = new ArrayList<>();
            withKthreads.get("namespaces").values()
                    .forEach(g -> g.get("roots").values().forEach(r -> collectPids(r, all)));
            assertTrue(all.contains(2), "kthreadd (PID 2) missing from /trees/pid?kthreads=true");
        }
        assertEquals(List.of(), problems, "nsscope /trees and pstree -N disagree");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The namespaces that had a process all along, with those processes: present in both reads (same PID and start
     * time) with the same link in both, so in that namespace at any moment in between.
     */
    private static Map<NsKey, Set<Integer>> livedAllAlong(Map<Integer, Proc> before, Map<Integer, Proc> after) {
        Map<NsKey, Set<Integer>> stable = new HashMap<>();
        for (Proc b : before.values()) {
            Proc a = after.get(b.pid());
            if (!b.sameProcessAs(a)) {
                continue;
            }
            for (String type : LiveHost.TYPES) {
                Long ns = b.links().get(type);
                if (ns != null && ns.equals(a.links().get(type))) {
                    stable.computeIfAbsent(new NsKey(ns, type), k -> new TreeSet<>()).add(b.pid());
                }
            }
        }
        return stable;
    }

    /** The processes present in both reads with the same parent, owner, name and command line. */
    private static Map<Integer, Proc> unchanged(Map<Integer, Proc> before, Map<Integer, Proc> after) {
        Map<Integer, Proc> unchanged = new HashMap<>();
        for (Proc b : before.values()) {
            Proc a = after.get(b.pid());
            if (b.sameProcessAs(a) && b.ppid() == a.ppid() && Objects.equals(b.uid(), a.uid())
                    && Objects.equals(b.cmdline(), a.cmdline()) && b.comm().equals(a.comm())) {
                unchanged.put(b.pid(), a);
            }
        }
        return unchanged;
    }

    private String get(String path, String accept) {
        io.restassured.response.Response response = given().port(port).accept(accept).when().get(path);
        String body = response.asString();
        assertEquals(200, response.statusCode(), "GET " + path + " (" + accept + "): " + LiveHost.abbreviate(body));
        return body;
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private static Result lsnsRun(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(LiveHost.tool("lsns").orElseThrow().toString());
        argv.addAll(List.of(args));
        return LiveHost.run(TOOL_TIMEOUT, argv.toArray(String[]::new)).requireSuccess();
    }

    private static JsonNode lsns(String... args) {
        return json(lsnsRun(args).out());
    }

    /** The links of /proc/PID/ns as {@code readlink(1)} prints them, or empty if it cannot read them all. */
    private static Optional<Map<String, Long>> readlink(int pid) {
        List<String> argv = new ArrayList<>();
        argv.add(LiveHost.tool("readlink").orElseThrow().toString());
        for (String link : LiveHost.LINKS) {
            argv.add("/proc/" + pid + "/ns/" + link);
        }
        Result r = LiveHost.run(TOOL_TIMEOUT, argv.toArray(String[]::new));
        List<String> lines = r.out().lines().toList();
        if (r.exit() != 0 || lines.size() != LiveHost.LINKS.size()) {
            return Optional.empty();
        }
        Map<String, Long> links = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String name = LiveHost.LINKS.get(i);
            assertTrue(lines.get(i).startsWith(LiveHost.typeOf(name) + ":["), "readlink " + name + ": " + lines.get(i));
            links.put(name, LiveHost.inodeOf(lines.get(i)));
        }
        return Optional.of(links);
    }

    private static List<JsonNode> rows(JsonNode answer) {
        JsonNode list = answer.get("namespaces");
        assertNotNull(list, "no namespaces in " + LiveHost.abbreviate(answer.toString()));
        return new ArrayList<>(list.values());
    }

    private static NsKey key(JsonNode row) {
        return new NsKey(row.get("ns").asLong(), text(row.get("type")));
    }

    private static Map<NsKey, JsonNode> index(JsonNode answer) {
        Map<NsKey, JsonNode> byKey = new TreeMap<>();
        for (JsonNode row : rows(answer)) {
            byKey.put(key(row), row);
        }
        return byKey;
    }

    /** A JSON scalar as a comparable string: numbers as integers, strings as is, null as null. */
    private static String scalar(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "<absent>";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isIntegralNumber()) {
            return Long.toString(node.longValue());
        }
        if (node.isString()) {
            return "\"" + node.stringValue() + "\"";
        }
        return node.toString();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isString() ? node.stringValue() : node.toString();
    }

    private static void compareFields(String what, JsonNode lsns, JsonNode nsscope, List<String> fields,
            List<String> problems) {
        for (String field : fields) {
            String l = scalar(lsns.get(field));
            if ((field.equals("pns") || field.equals("ons")) && l.equals("0")) {
                l = "null"; // lsns prints 0 where the kernel gives no answer (EPERM, EINVAL); nsscope null
            }
            String n = scalar(nsscope.get(field));
            if (!l.equals(n)) {
                problems.add(what + " " + field + ": lsns=" + l + " nsscope=" + n);
            }
        }
    }

    private static void expect(List<String> problems, String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            problems.add(what + ": expected " + expected + ", got " + actual);
        }
    }

    private static int parentOf(int pid) {
        return ours.values().stream().filter(p -> p.pid() == pid).findFirst().map(Proc::ppid).orElse(-1);
    }

    private static void collectPids(JsonNode node, List<Integer> into) {
        into.add(node.get("pid").asInt());
        node.get("children").values().forEach(c -> collectPids(c, into));
    }

    /** The groups of a {@code pstree -N} drawing: the lines under each {@code [inode]} header. */
    static Map<Long, List<String>> groups(String drawing) {
        Map<Long, List<String>> groups = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : drawing.split("\n")) {
            if (line.matches("\\[\\d+]")) {
                current = groups.computeIfAbsent(Long.parseLong(line.substring(1, line.length() - 1)),
                        k -> new ArrayList<>());
            } else if (current != null && !line.isEmpty()) {
                current.add(line);
            }
        }
        return groups;
    }
}
