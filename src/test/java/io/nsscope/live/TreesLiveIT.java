package io.nsscope.live;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.live.LiveHost.Proc;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /trees/{type}?by=parent|owner} on the live kernel, for namespaces the test nests itself with
 * {@code unshare(1)}: user namespaces three deep, pid namespaces three deep (each level with a process in it, so
 * that {@code lsns} 2.38, which only sees namespaces with processes, can be compared: its PNS and ONS must be
 * nsscope's, 0 where nsscope says null), and a user namespace left with no process between the host's and its child's
 * (a "ghost", which only walking up with {@code NS_GET_PARENT} finds).
 *
 * <p>Skipped (never failed) when not root, when unshare, lsns, setsid, sh or kill is missing, or when the kernel has
 * no user namespaces. Each test kills the process group of everything it started (the orphaned child of the ghost test
 * included) and checks that nothing with this run's mark remains.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TreesLiveIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** This run's mark, in every command line the test starts: {@code sleep 600.<run><nn>}. */
    private static final String MARK =
            "600." + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));

    @LocalServerPort
    int port;

    private final List<Process> started = new ArrayList<>();
    private Path workDir;

    @BeforeEach
    void requirements() throws IOException {
        assumeTrue(LiveHost.isRoot(), "skipped: not root: making namespaces needs root");
        for (String tool : List.of("unshare", "lsns", "setsid", "sh", "kill", "sleep")) {
            assumeTrue(LiveHost.tool(tool).isPresent(), () -> "skipped: " + tool + " is not installed");
        }
        assumeTrue(
                LiveHost.kernelHas("user") && LiveHost.kernelHas("pid"),
                "skipped: the kernel has no user or pid namespaces");
        workDir = Files.createTempDirectory("nsscope-trees-it");
    }

    @AfterEach
    void killEverything() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Process p : started) {
            // Each command leads a process group of its own (setsid); its descendants, orphans included, are in it.
            LiveHost.run(TOOL_TIMEOUT, "kill", "-KILL", "--", "-" + p.pid());
            p.destroyForcibly();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                failures.add("PID " + p.pid() + " did not exit after SIGKILL");
            }
        }
        started.clear();
        if (workDir != null) {
            try (var files = Files.list(workDir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(workDir);
        }
        assertEquals(List.of(), failures, "cleaning up failed");
        Awaitility.await()
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertEquals(
                        List.of(),
                        LiveHost.readAll().values().stream()
                                .filter(p -> p.cmdline() != null && p.cmdline().contains(MARK) && p.state() != 'Z')
                                .map(p -> p.pid() + " " + p.lsnsCommand())
                                .toList(),
                        "processes of this run remain after clean-up"));
    }

    @Test
    void userNamespacesThreeDeepNestByParentAndByOwnerAsLsnsSaysTheyDo() throws Exception {
        Process p = start(
                "unshare",
                "-U",
                "-r",
                "sh",
                "-c",
                "unshare -U -r sh -c \"unshare -U -r sleep " + MARK + "01; true\"; true");
        // `; true` keeps each shell from exec'ing its last command: one process in each level.
        // Found by their final arguments: a shell's child is a copy of the shell until it execs.
        String inner = "unshare -U -r sleep " + MARK + "01; true";
        Proc level1 = await(
                p,
                () -> LiveHost.read((int) p.pid())
                        .filter(q ->
                                q.argv().equals(List.of("sh", "-c", "unshare -U -r sh -c \"" + inner + "\"; true"))));
        Proc level2 = await(p, () -> child(level1.pid(), List.of("sh", "-c", inner)));
        Proc level3 = await(p, () -> child(level2.pid(), List.of("sleep", MARK + "01")));
        long host = jvmNamespace("user");
        List<Long> chain = List.of(
                host,
                level1.links().get("user"),
                level2.links().get("user"),
                level3.links().get("user"));
        assertEquals(4, chain.stream().distinct().count(), "four distinct user namespaces: " + chain);

        JsonNode byParent = json("/trees/user?by=parent&refresh=true");
        assertEquals("parent", byParent.get("by").asString());
        assertEquals(chain, TreeJson.pathTo(byParent, chain.get(3)), "by=parent nests the user namespaces in order");
        assertEquals(
                chain,
                TreeJson.pathTo(json("/trees/user?by=owner"), chain.get(3)),
                "by=owner nests user namespaces as by=parent");
        agreesWithLsns("user", byParent, chain.subList(1, 4));
        assertFalse(TreeJson.node(byParent, chain.get(2)).get("ghost").asBoolean());

        // Any namespace the innermost level made (its pid namespace is the host's) hangs under its owner: the host
        // pid namespace is owned by the host user namespace, so by=owner on pid has it under the host's.
        JsonNode pidByOwner = json("/trees/pid?by=owner");
        long hostPid = jvmNamespace("pid");
        assertEquals(List.of(host, hostPid), TreeJson.pathTo(pidByOwner, hostPid));

        String text = text("/trees/user?by=parent");
        assertIndented(text, chain);
    }

    @Test
    void pidNamespacesThreeDeepNestByParentAndByOwnerAsLsnsSaysTheyDo() throws Exception {
        Process p = start(
                "unshare",
                "-p",
                "-f",
                "sh",
                "-c",
                "unshare -p -f sh -c \"unshare -p -f sleep " + MARK + "02; true\"; true");
        // unshare -p -f forks: its child (sh) is the new namespace's init; unshare itself stays in the old one.
        String inner = "unshare -p -f sleep " + MARK + "02; true";
        Proc sh1 = await(
                p, () -> child((int) p.pid(), List.of("sh", "-c", "unshare -p -f sh -c \"" + inner + "\"; true")));
        Proc unshare2 = await(p, () -> child(sh1.pid(), List.of("unshare", "-p", "-f", "sh", "-c", inner)));
        Proc sh2 = await(p, () -> child(unshare2.pid(), List.of("sh", "-c", inner)));
        Proc unshare3 = await(p, () -> child(sh2.pid(), List.of("unshare", "-p", "-f", "sleep", MARK + "02")));
        Proc sleep = await(p, () -> child(unshare3.pid(), List.of("sleep", MARK + "02")));
        long host = jvmNamespace("pid");
        List<Long> chain = List.of(
                host,
                sh1.links().get("pid"),
                sh2.links().get("pid"),
                sleep.links().get("pid"));
        assertEquals(4, chain.stream().distinct().count(), "four distinct pid namespaces: " + chain);
        assertEquals(3, LiveHost.nspid(sleep.pid()).size() - 1, "sleep is three levels below the host");

        JsonNode byParent = json("/trees/pid?by=parent&refresh=true");
        assertEquals(chain, TreeJson.pathTo(byParent, chain.get(3)), "by=parent nests the pid namespaces in order");
        agreesWithLsns("pid", byParent, chain.subList(1, 4));
        assertEquals(
                sleep.pid(), TreeJson.node(byParent, chain.get(3)).get("pid").asInt());

        // All three are owned by the host's user namespace (no -U): by=owner puts them side by side under it.
        JsonNode byOwner = json("/trees/pid?by=owner");
        long hostUser = jvmNamespace("user");
        for (long ns : chain) {
            assertEquals(
                    List.of(hostUser, ns),
                    TreeJson.pathTo(byOwner, ns),
                    "by=owner puts pid:[" + ns + "] under its owner");
        }
        assertIndented(text("/trees/pid?by=parent&lines=unicode"), chain);
    }

    @Test
    void aUserNamespaceWithNoProcessLeftIsAGhostBetweenItsParentAndItsChild() throws Exception {
        Path go = workDir.resolve("go");
        String script = "unshare -U -r sleep " + MARK + "03 & while [ ! -e " + go + " ]; do sleep 0.05; done";
        Process p = start("unshare", "-U", "-r", "sh", "-c", script);
        Proc middle =
                await(p, () -> LiveHost.read((int) p.pid()).filter(q -> q.argv().equals(List.of("sh", "-c", script))));
        // The loop's own short sleeps are children too: the one to find carries the mark.
        Proc inner = await(p, () -> child(middle.pid(), List.of("sleep", MARK + "03")));
        long host = jvmNamespace("user");
        long middleNs = middle.links().get("user");
        long innerNs = inner.links().get("user");
        Files.createFile(go);
        assertTrue(p.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the middle shell exits");
        Proc orphan = LiveHost.read(inner.pid()).orElseThrow();
        assertTrue(orphan.sameProcessAs(inner), "the inner sleep outlives its parent");

        JsonNode tree = json("/trees/user?by=parent&refresh=true");
        assertEquals(List.of(host, middleNs, innerNs), TreeJson.pathTo(tree, innerNs));
        JsonNode ghost = TreeJson.node(tree, middleNs);
        assertTrue(ghost.get("ghost").asBoolean(), "the middle user namespace is a ghost: " + ghost);
        assertEquals(0, ghost.get("nprocs").asInt());
        assertTrue(ghost.get("pid").isNull());
        assertEquals(host, ghost.get("pns").asLong());
        assertFalse(TreeJson.node(tree, innerNs).get("ghost").asBoolean());
        assertEquals(inner.pid(), TreeJson.node(tree, innerNs).get("pid").asInt());

        String text = text("/trees/user?by=parent");
        assertIndented(text, List.of(host, middleNs, innerNs));
        String ghostLine = text.lines()
                .filter(l -> l.contains(Long.toString(middleNs)))
                .findFirst()
                .orElseThrow();
        assertTrue(ghostLine.endsWith("[ghost]"), "the ghost is marked in the text: " + ghostLine);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Starts a command in a session and process group of its own, its arguments ending with this run's mark. */
    private Process start(String... command) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(LiveHost.tool("setsid").orElseThrow().toString());
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(workDir.resolve("stderr-" + started.size()).toFile())
                .start();
        started.add(p);
        return p;
    }

    /**
     * Waits until the process is there with all its namespace links readable; fails at once, with the command's
     * stderr, if the command exits meanwhile.
     */
    private Proc await(Process owner, Supplier<Optional<Proc>> finder) {
        AtomicReference<Proc> found = new AtomicReference<>();
        Awaitility.await()
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(20))
                .failFast(
                        "the command exited",
                        () -> assertTrue(
                                owner.isAlive(),
                                () -> "the command exited with status " + owner.exitValue() + ": " + stderrQuietly()))
                .untilAsserted(() -> {
                    Optional<Proc> proc = finder.get();
                    assertTrue(
                            proc.isPresent() && proc.get().links().size() == LiveHost.LINKS.size(),
                            () -> "not in place (found " + proc + "); stderr: " + stderrQuietly());
                    found.set(proc.get());
                });
        return found.get();
    }

    private String stderrQuietly() {
        try {
            return stderr();
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private String stderr() throws IOException {
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(workDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("stderr"))
                    .toList()) {
                out.append(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    /** The child of a process with these arguments (exec'd: its namespaces are final). */
    private static Optional<Proc> child(int parent, List<String> argv) {
        return LiveHost.children(parent).stream()
                .filter(c -> c.argv().equals(argv))
                .findFirst();
    }

    private static long jvmNamespace(String type) {
        return LiveHost.read((int) ProcessHandle.current().pid())
                .orElseThrow()
                .links()
                .get(type);
    }

    private JsonNode json(String path) {
        String body = given().port(port)
                .accept("application/json")
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return JSON.readTree(body);
    }

    private String text(String path) {
        return given().port(port)
                .accept("text/plain")
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    /** lsns -J --output-all -t TYPE: PNS and ONS of these namespaces as nsscope's tree has them (lsns 0 = null). */
    private static void agreesWithLsns(String type, JsonNode tree, List<Long> namespaces) {
        LiveHost.Result lsns = LiveHost.run(TOOL_TIMEOUT, "lsns", "-J", "--output-all", "-t", type)
                .requireSuccess();
        Map<Long, JsonNode> rows = new HashMap<>();
        for (JsonNode row : JSON.readTree(lsns.out()).get("namespaces")) {
            rows.put(row.get("ns").asLong(), row);
        }
        List<String> problems = new ArrayList<>();
        for (long ns : namespaces) {
            JsonNode l = rows.get(ns);
            assertNotNull(l, type + ":[" + ns + "] not listed by lsns");
            JsonNode n = TreeJson.node(tree, ns);
            for (String field : List.of("pns", "ons")) {
                long expected = l.get(field).asLong();
                long actual = n.get(field).isNull() ? 0 : n.get(field).asLong();
                if (expected != actual) {
                    problems.add(type + ":[" + ns + "] " + field + ": lsns " + expected + ", nsscope " + actual);
                }
            }
            if (l.get("nprocs").asInt() != n.get("nprocs").asInt()) {
                problems.add(type + ":[" + ns + "] nprocs: lsns " + l.get("nprocs") + ", nsscope " + n.get("nprocs"));
            }
        }
        assertEquals(List.of(), problems, "nsscope's tree and lsns disagree");
    }

    /** Each inode of the chain is on a line of its own, each indented one level (two columns) more than the last. */
    private static void assertIndented(String text, List<Long> chain) {
        int column = -1;
        for (long ns : chain) {
            String line = text.lines()
                    .filter(l -> l.matches("^[ |`\\-│├└─]*" + ns + " .*"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(ns + " is not drawn in:\n" + text));
            int at = line.indexOf(Long.toString(ns));
            if (column >= 0) {
                assertEquals(column + 2, at, "indentation of " + ns + " in:\n" + text);
            }
            column = at;
        }
    }
}
