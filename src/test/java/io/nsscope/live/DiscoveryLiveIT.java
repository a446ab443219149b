package io.nsscope.live;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.jna.Namespaces;
import io.nsscope.jna.Processes;
import io.nsscope.namespace.NamespaceType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The discovery sources beyond processes, on the real kernel as root: a bind-mounted network namespace
 * ({@code ip netns add}), one held only by an open descriptor, one held only by a socket, a thread that unshared, and
 * a user namespace held only by its child (a ghost), each compared with {@code lsns} where lsns reports the same.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"nsscope.scan.interval=1h", "nsscope.scan.refresh-min-interval=0s"})
class DiscoveryLiveIT {

    private static final String RUN =
            String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    private static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    private final List<Process> started = new ArrayList<>();
    private final List<String> netns = new ArrayList<>();

    @BeforeEach
    void requirements() {
        assumeTrue(LiveHost.isRoot(), "needs root to make namespaces");
        assumeTrue(LiveHost.tool("unshare").isPresent(), "needs unshare(1)");
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (String name : netns) {
            LiveHost.run(WAIT, "ip", "netns", "del", name);
        }
    }

    @Test
    void aBindMountedNetworkNamespaceIsListedWithItsMountAndIdAsLsnsShowsThem() throws Exception {
        assumeTrue(LiveHost.tool("ip").isPresent(), "needs ip(8)");
        String name = "nsscope-it-" + RUN;
        assertThat(LiveHost.run(WAIT, "ip", "netns", "add", name).exit()).isZero();
        netns.add(name);
        long inode = inodeOf(Path.of("/run/netns", name));
        assertThat(row(get("/namespaces?persistent=true&type=net&refresh=true"), inode))
                .containsEntry("netnsid", "unassigned");
        // an ID given later is seen at the next scan (the rest of the hierarchy is asked once per namespace)
        assertThat(LiveHost.run(WAIT, "ip", "netns", "set", name, "42").exit()).isZero();

        JsonPath persistent = get("/namespaces?persistent=true&type=net&refresh=true");
        Map<String, Object> row = row(persistent, inode);
        assertThat(row)
                .containsEntry("nprocs", 0)
                .containsEntry("pid", null)
                .containsEntry("command", null)
                .containsEntry("nsfs", "/run/netns/" + name)
                .containsEntry("netnsid", "42")
                .containsEntry("path", "/run/netns/" + name)
                .containsEntry("ghost", false);
        assertThat(holders(row))
                .anySatisfy(h -> assertThat(h)
                        .containsEntry("kind", "mount")
                        .containsEntry("path", "/run/netns/" + name)
                        .doesNotContainKey("fd"));
        assertThat(get("/namespaces?persistent=false&type=net").getList("namespaces.ns", Long.class))
                .doesNotContain(inode);

        // with a process in it lsns lists it too: NSFS, NETNSID, PNS and ONS must agree
        start("ip", "netns", "exec", name, "sleep", "600." + RUN);
        awaitMember(inode, "net");
        JsonPath lsns = JsonPath.from(
                LiveHost.run(WAIT, "lsns", "-J", "--output-all", "-t", "net").out());
        Map<String, Object> theirs = lsns.getMap("namespaces.find { it.ns == " + inode + "L }");
        Map<String, Object> ours = row(get("/namespaces?type=net&refresh=true"), inode);
        assertThat(ours.get("nsfs")).isEqualTo(theirs.get("nsfs"));
        assertThat(ours.get("netnsid")).isEqualTo(theirs.get("netnsid"));
        assertThat(((Number) ours.get("ons")).longValue()).isEqualTo(((Number) theirs.get("ons")).longValue());
        assertThat(ours.get("pns")).isNull();
        assertThat(((Number) theirs.get("pns")).longValue()).isZero();
    }

    @Test
    void aNamespaceHeldOnlyByADescriptorOutlivesItsProcesses() throws Exception {
        Process member = start("unshare", "-n", "sleep", "600." + RUN);
        long inode = awaitUnshared(member.pid(), "net");
        Process holder = start("sh", "-c", "exec 3</proc/" + member.pid() + "/ns/net; exec sleep 600." + RUN);
        // the shell holds the namespace on fd 3 once the link names it (before, fd 3 may be anything of the shell's)
        Path fd3 = Path.of("/proc/" + holder.pid() + "/fd/3");
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> Files.readSymbolicLink(fd3).toString().equals("net:[" + inode + "]"));
        member.destroyForcibly().waitFor(5, TimeUnit.SECONDS);

        Map<String, Object> row = row(get("/namespaces?persistent=true&refresh=true"), inode);
        assertThat(row)
                .containsEntry("nprocs", 0)
                .containsEntry("type", "net")
                .containsEntry("path", "/proc/" + holder.pid() + "/fd/3");
        assertThat(holders(row)).containsExactly(Map.of("kind", "fd", "pid", (int) holder.pid(), "fd", 3));

        holder.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        given().port(port).get("/namespaces/" + inode + "?refresh=true").then().statusCode(404);
    }

    @Test
    void aThreadThatUnsharedIsALooseThreadInItsNewNamespace() throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<long[]> seen = new AtomicReference<>();
        Thread thread = new Thread(
                () -> {
                    Namespaces.unshare(NamespaceType.UTS.cloneFlag());
                    seen.set(new long[] {
                        Processes.gettid(), LiveHost.inodeOf(readLink(Path.of("/proc/thread-self/ns/uts")))
                    });
                    ready.countDown();
                    awaitQuietly(release);
                },
                "nsscope-it-loose");
        thread.start();
        try {
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            long tid = seen.get()[0];
            long inode = seen.get()[1];
            JsonPath detail = get("/namespaces/" + inode + "?refresh=true");
            assertThat(detail.getInt("nprocs")).isZero();
            assertThat(detail.getList("looseThreads"))
                    .containsExactly(Map.of(
                            "tid",
                            (int) tid,
                            "pid",
                            (int) ProcessHandle.current().pid(),
                            "comm",
                            "nsscope-it-loos"));
            assertThat(detail.getString("path"))
                    .isEqualTo("/proc/" + ProcessHandle.current().pid() + "/task/" + tid + "/ns/uts");
            // and on the process: this JVM has one loose thread, in that uts namespace only
            JsonPath self = get("/processes/" + ProcessHandle.current().pid());
            assertThat(self.getList("looseThreads.tid", Integer.class)).containsExactly((int) tid);
            assertThat(self.getMap("looseThreads[0].differs")).containsExactly(Map.entry("uts", inode));
        } finally {
            release.countDown();
            thread.join();
        }
        long inode = seen.get()[1];
        awaitGone(Path.of("/proc/self/task/" + seen.get()[0]));
        given().port(port).get("/namespaces/" + inode + "?refresh=true").then().statusCode(404);
    }

    @Test
    void aNetworkNamespaceHeldOnlyByASocketIsFound() throws Exception {
        AtomicReference<ServerSocketChannel> socket = new AtomicReference<>();
        AtomicReference<long[]> seen = new AtomicReference<>();
        Thread thread = new Thread(
                () -> {
                    Namespaces.unshare(NamespaceType.NET.cloneFlag());
                    try {
                        socket.set(ServerSocketChannel.open()); // the socket is made in the thread's network namespace
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    seen.set(new long[] {
                        Processes.gettid(), LiveHost.inodeOf(readLink(Path.of("/proc/thread-self/ns/net")))
                    });
                },
                "nsscope-it-sock");
        thread.start();
        thread.join();
        awaitGone(Path.of("/proc/self/task/" + seen.get()[0]));
        long inode = seen.get()[1];
        try (ServerSocketChannel channel = socket.get()) {
            // this JVM is not a new process: its descriptor table is read whole once in four scans (DescriptorSweep)
            Map<String, Object> row = await().atMost(WAIT)
                    .until(
                            () -> get("/namespaces?persistent=true&type=net&refresh=true")
                                    .getMap("namespaces.find { it.ns == " + inode + "L }"),
                            found -> found != null);
            assertThat(row).containsEntry("nprocs", 0).containsEntry("looseThreads", List.of());
            assertThat(holders(row))
                    .singleElement()
                    .satisfies(
                            h -> assertThat(h).containsEntry("kind", "socket").containsEntry("pid", (int)
                                    ProcessHandle.current().pid()));
            assertThat(channel.isOpen()).isTrue();
        }
        given().port(port).get("/namespaces/" + inode + "?refresh=true").then().statusCode(404);
    }

    @Test
    void anAncestorHeldOnlyByItsChildIsAGhostBetweenTheHostAndTheChild() throws Exception {
        String marker = "600." + RUN + "1";
        Process outer = start("unshare", "-U", "-r", "sh", "-c", "unshare -U -r sleep " + marker + " & exit 0");
        outer.waitFor(10, TimeUnit.SECONDS);
        long child = awaitProcess("sleep " + marker);
        long inner = awaitUnshared(child, "user");
        long host = LiveHost.inodeOf(readLink(Path.of("/proc/self/ns/user")));
        try {
            JsonPath innerNs = get("/namespaces/" + inner + "?refresh=true");
            long middle = innerNs.getLong("pns");
            assertThat(middle).isNotEqualTo(host).isNotEqualTo(inner);
            assertThat(innerNs.getLong("ons")).isEqualTo(middle);
            JsonPath ghost = get("/namespaces/" + middle);
            assertThat(ghost.getBoolean("ghost")).isTrue();
            assertThat(ghost.getInt("nprocs")).isZero();
            assertThat(ghost.getString("path")).isNull();
            assertThat(ghost.getLong("pns")).isEqualTo(host);
            assertThat(ghost.getLong("ons")).isEqualTo(host);
            assertThat(ghost.getInt("ownerUid")).isZero();
            // the next scan takes the answers over from this one (same process, same namespaces): the same ghost
            JsonPath again = get("/namespaces/" + inner + "?refresh=true");
            assertThat(again.getLong("snapshot.sequence")).isGreaterThan(innerNs.getLong("snapshot.sequence"));
            assertThat(again.getLong("pns")).isEqualTo(middle);
            assertThat(get("/namespaces/" + middle).getBoolean("ghost")).isTrue();

            JsonPath lsns = JsonPath.from(LiveHost.run(WAIT, "lsns", "-J", "--output-all", "-t", "user")
                    .out());
            assertThat(lsns.getLong("namespaces.find { it.ns == " + inner + "L }.pns"))
                    .isEqualTo(middle);
        } finally {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    // -------------------------------------------------------------------------------------------------------------

    private JsonPath get(String path) {
        return given().port(port)
                .accept("application/json")
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static Map<String, Object> row(JsonPath list, long inode) {
        Map<String, Object> row = list.getMap("namespaces.find { it.ns == " + inode + "L }");
        assertThat(row).as("namespace %d in %s", inode, list.prettify()).isNotNull();
        return row;
    }

    /** The holders of a row, without their null keys. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> holders(Map<String, Object> row) {
        return ((List<Map<String, Object>>) row.get("holders"))
                .stream()
                        .map(h -> {
                            Map<String, Object> compact = new java.util.LinkedHashMap<>(h);
                            compact.values().removeIf(v -> v == null);
                            return compact;
                        })
                        .toList();
    }

    private Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(p);
        return p;
    }

    /** Waits until the process has exec'd sleep in a {@code type} namespace of its own; its inode. */
    private static long awaitUnshared(long pid, String type) {
        String ours = readLink(Path.of("/proc/self/ns/" + type));
        // readLink throws IllegalStateException while the link is not there yet
        String theirs = await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptionsInstanceOf(IllegalStateException.class)
                .alias("process " + pid + " never got its own " + type + " namespace")
                .until(
                        () -> readLink(Path.of("/proc/" + pid + "/ns/" + type)),
                        link -> !link.equals(ours) && isExecd(pid));
        return LiveHost.inodeOf(theirs);
    }

    private void awaitMember(long inode, String type) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            Map<String, Object> row = get("/namespaces?type=" + type + "&refresh=true")
                    .getMap("namespaces.find { it.ns == " + inode + "L }");
            assertThat(row)
                    .as("namespace " + inode + " listed with a sleep in it")
                    .isNotNull()
                    .satisfies(
                            r -> assertThat(((Number) r.get("nprocs")).intValue())
                                    .isPositive(),
                            r -> assertThat(String.valueOf(r.get("command"))).startsWith("sleep"));
        });
    }

    private static long awaitProcess(String cmdline) {
        return await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .alias("no process runs " + cmdline)
                .until(() -> processRunning(cmdline), pid -> pid > 0);
    }

    /** The PID of a process whose command line is this one, or 0. */
    private static long processRunning(String cmdline) {
        for (int pid : LiveHost.pids()) {
            try {
                String text = Files.readString(Path.of("/proc/" + pid + "/cmdline"))
                        .replace('\0', ' ')
                        .trim();
                if (text.equals(cmdline)) {
                    return pid;
                }
            } catch (IOException e) {
                // gone
            }
        }
        return 0;
    }

    private static boolean isExecd(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).trim().equals("sleep");
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitGone(Path file) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(5))
                .untilAsserted(() -> assertThat(file).doesNotExist());
    }

    private static long inodeOf(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
