package io.nsscope.live;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The per-type details of {@code GET /namespaces/{ns}} on the real kernel, for namespaces the test makes with
 * {@code unshare(1)} and {@code ip}: compared with what {@code hostname}, {@code ip -n X -br addr},
 * {@code /proc/PID/uid_map}, {@code NSpid}, {@code ipcs} and {@code mountinfo} say. After every test, each thread of
 * this JVM (which is the server) must still be in the JVM's own namespaces: the probes' threads joined the namespaces
 * and were thrown away.
 *
 * <p>Skipped unless root with unshare, setsid, sleep, sh, ip and ipcmk. Every process started is killed with its
 * descendants, and the network namespace deleted, in {@link #stopEverything()}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LiveDetailsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String RUN = String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    static final String NETNS = "nsd-" + RUN;
    static final String HOST_END = "nsdA" + RUN;
    static final String INNER_END = "nsdB" + RUN;

    static final List<Process> started = new ArrayList<>();
    static final Map<String, Integer> pids = new LinkedHashMap<>();
    static boolean netnsAdded;
    static boolean vethAdded;
    static String skipReason;

    @LocalServerPort
    int port;

    private static String arg(int n) {
        return "600." + RUN + String.format("%02d", n);
    }

    @BeforeAll
    static void makeNamespaces() throws Exception {
        if (!LiveHost.isRoot()) {
            skipReason = "not root";
            return;
        }
        for (String tool : List.of("unshare", "setsid", "sleep", "sh", "ip", "ipcmk")) {
            if (LiveHost.tool(tool).isEmpty()) {
                skipReason = tool + " is not installed";
                return;
            }
        }
        for (String type : List.of("uts", "net", "ipc", "pid", "mnt", "user", "cgroup", "time")) {
            if (!LiveHost.kernelHas(type)) {
                skipReason = "the kernel has no " + type + " namespaces";
                return;
            }
        }
        String ip = LiveHost.tool("ip").orElseThrow().toString();
        start("unshare", "-u", "sh", "-c", "hostname box-" + RUN + " && exec sleep " + arg(1));
        start("unshare", "-i", "sh", "-c", "ipcmk -M 4096 >/dev/null && exec sleep " + arg(2));
        start("unshare", "-U", "--map-root-user", "sleep", arg(3));
        start("unshare", "-T", "--monotonic", "86400", "--boottime", "3600", "-f", "sleep", arg(4));
        start("unshare", "-p", "-f", "--mount-proc", "sh", "-c", "unshare -p -f --mount-proc sh -c "
                + "'unshare -p -f --mount-proc sleep " + arg(5) + "'");
        start("unshare", "-m", "--propagation", "private", "sleep", arg(6));
        start("unshare", "-C", "sleep", arg(7));

        LiveHost.run(TIMEOUT, ip, "netns", "add", NETNS).requireSuccess();
        netnsAdded = true;
        LiveHost.run(TIMEOUT, ip, "link", "add", HOST_END, "type", "veth", "peer", "name", INNER_END).requireSuccess();
        vethAdded = true;
        LiveHost.run(TIMEOUT, ip, "link", "set", INNER_END, "netns", NETNS).requireSuccess();
        LiveHost.run(TIMEOUT, ip, "-n", NETNS, "addr", "add", "10.231.7.2/24", "dev", INNER_END).requireSuccess();
        LiveHost.run(TIMEOUT, ip, "-n", NETNS, "addr", "add", "fd00:231:7::2/64", "dev", INNER_END).requireSuccess();
        LiveHost.run(TIMEOUT, ip, "-n", NETNS, "link", "set", INNER_END, "up").requireSuccess();
        LiveHost.run(TIMEOUT, ip, "-n", NETNS, "link", "set", "lo", "up").requireSuccess();
        LiveHost.run(TIMEOUT, ip, "link", "set", HOST_END, "up").requireSuccess();
        start(ip, "netns", "exec", NETNS, "sleep", arg(8));

        for (int n = 1; n <= 8; n++) {
            pids.put(arg(n), awaitSleep(arg(n)));
        }
    }

    private static void start(String... command) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(LiveHost.tool("setsid").orElseThrow().toString());
        argv.addAll(List.of(command));
        started.add(new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start());
    }

    /** The PID of the sleep whose argument is {@code mark}, once it runs. */
    private static int awaitSleep(String mark) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (int pid : LiveHost.pids()) {
                Optional<LiveHost.Proc> p = LiveHost.read(pid);
                if (p.isPresent() && p.get().argv().equals(List.of("sleep", mark))) {
                    return pid;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no process sleep " + mark + " after " + TIMEOUT);
    }

    @AfterAll
    static void stopEverything() throws Exception {
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
            LiveHost.run(TIMEOUT, ip, "netns", "delete", NETNS).requireSuccess();
        }
        if (vethAdded) {
            // Deleting the namespace destroys the inner end, and with it the pair; the kernel may take a moment.
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (Files.exists(Path.of("/sys/class/net", HOST_END)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (Files.exists(Path.of("/sys/class/net", HOST_END))) {
                LiveHost.run(TIMEOUT, ip, "link", "delete", HOST_END);
            }
        }
        for (ProcessHandle h : all) {
            h.onExit().get(10, TimeUnit.SECONDS);
        }
        assertThat(started).allSatisfy(p -> assertThat(p.isAlive()).isFalse());
        assertThat(Path.of("/run/netns", NETNS)).doesNotExist();
        assertThat(Path.of("/sys/class/net", HOST_END)).doesNotExist();
    }

    @BeforeEach
    void requirements() {
        assumeTrue(skipReason == null, () -> "skipped: " + skipReason);
        RestAssured.port = port;
    }

    /** Every thread of this JVM (the server) is in the JVM's namespaces: no probe moved one. */
    @AfterEach
    void ownThreadsStayed() throws IOException {
        if (skipReason != null) {
            return;
        }
        Map<String, String> own = new LinkedHashMap<>();
        for (String link : LiveHost.LINKS) {
            own.put(link, Files.readSymbolicLink(Path.of("/proc/self/ns", link)).toString());
        }
        int threads = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                for (String link : LiveHost.LINKS) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(task.resolve("ns").resolve(link)).toString();
                    } catch (IOException e) {
                        continue; // the thread ended meanwhile
                    }
                    assertThat(target).as("thread %s, ns/%s", task.getFileName(), link).isEqualTo(own.get(link));
                }
                threads++;
            }
        }
        assertThat(threads).isGreaterThan(1);
    }

    private static long inode(int pid, String type) throws IOException {
        return LiveHost.inodeOf(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + type)).toString());
    }

    private static JsonPath details(int pid, String type) throws IOException {
        return given().queryParam("refresh", true).get("/namespaces/" + inode(pid, type)).then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void utsHostname() throws Exception {
        int pid = pids.get(arg(1));
        JsonPath d = details(pid, "uts");
        assertThat(d.getInt("details.via")).isEqualTo(pid);
        assertThat(d.getString("details.uts.hostname")).isEqualTo("box-" + RUN);
        assertThat(d.getString("details.uts.domainname")).isEqualTo("(none)");
        assertThat(d.getString("details.uts.error")).isNull();
        String text = given().accept("text/plain").get("/namespaces/" + inode(pid, "uts")).then().statusCode(200)
                .extract().asString();
        assertThat(text).contains("hostname: box-" + RUN + "\n");
    }

    @Test
    void netInterfacesAsIpBriefShowsThem() throws Exception {
        int pid = pids.get(arg(8));
        JsonPath d = details(pid, "net");
        assertThat(d.getString("details.net.error")).isNull();
        String ip = LiveHost.tool("ip").orElseThrow().toString();
        String brief = LiveHost.run(TIMEOUT, ip, "-n", NETNS, "-br", "addr").requireSuccess().out();
        String text = given().accept("text/plain").get("/namespaces/" + inode(pid, "net")).then().statusCode(200)
                .extract().asString();
        // Same lines, token by token (ip pads with trailing spaces).
        List<List<String>> expected = brief.lines().map(l -> List.of(l.trim().split("\\s+"))).toList();
        List<List<String>> actual = text.lines().filter(l -> expected.stream().anyMatch(e -> l.startsWith(e.get(0))))
                .map(l -> List.of(l.trim().split("\\s+"))).toList();
        assertThat(actual).isEqualTo(expected);
        assertThat(d.getList("details.net.interfaces.name", String.class)).containsExactly("lo", INNER_END);
        assertThat(d.getList("details.net.interfaces[1].addresses", String.class)).contains("10.231.7.2/24",
                "fd00:231:7::2/64");
        assertThat(d.getString("details.net.interfaces[1].state")).isEqualTo("UP");
    }

    @Test
    void timeOffsets() throws Exception {
        int pid = pids.get(arg(4));
        JsonPath d = details(pid, "time");
        assertThat(d.getLong("details.time.monotonic.seconds")).isEqualTo(86400);
        assertThat(d.getLong("details.time.boottime.seconds")).isEqualTo(3600);
        assertThat(d.getLong("details.time.monotonic.nanoseconds")).isZero();
    }

    @Test
    void userMapsAndOwner() throws Exception {
        int pid = pids.get(arg(3));
        JsonPath d = details(pid, "user");
        assertThat(d.getInt("details.via")).isEqualTo(pid);
        String uidMap = Files.readString(Path.of("/proc/" + pid + "/uid_map")).trim();
        assertThat(uidMap.split("\\s+")).containsExactly("0", "0", "1");
        assertThat(d.getInt("details.user.uid_map[0].inside")).isZero();
        assertThat(d.getInt("details.user.uid_map[0].outside")).isZero();
        assertThat(d.getInt("details.user.uid_map[0].count")).isEqualTo(1);
        assertThat(d.getList("details.user.gid_map")).hasSize(1);
        assertThat(d.getString("details.user.setgroups")).isEqualTo("deny");
        assertThat(d.getInt("details.user.ownerUid")).isZero();
        assertThat(d.getString("details.user.owner")).isEqualTo("root");
    }

    @Test
    void pidMapThreeDeep() throws Exception {
        int pid = pids.get(arg(5));
        List<Integer> nspid = LiveHost.nspid(pid);
        assertThat(nspid).hasSize(4);
        JsonPath d = details(pid, "pid");
        assertThat(d.getInt("details.pid.level")).isEqualTo(3);
        assertThat(d.getList("details.pid.pidMap.pid", Integer.class)).contains(pid);
        assertThat(d.getList("details.pid.pidMap.find { it.pid == " + pid + " }.nspid", Integer.class))
                .isEqualTo(nspid);
        // The sleep was forked by the innermost unshare: it is the namespace's init.
        assertThat(d.getInt("details.pid.init")).isEqualTo(pid);
    }

    @Test
    void ipcSharedMemorySegment() throws Exception {
        int pid = pids.get(arg(2));
        JsonPath d = details(pid, "ipc");
        assertThat(d.getInt("details.ipc.sharedMemorySegments")).isEqualTo(1);
        assertThat(d.getInt("details.ipc.semaphoreSets")).isZero();
        assertThat(d.getInt("details.ipc.messageQueues")).isZero();
    }

    @Test
    void mountsAndRoot() throws Exception {
        int pid = pids.get(arg(6));
        List<String> mountinfo = Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo"));
        JsonPath d = details(pid, "mnt");
        assertThat(d.getInt("details.mnt.mounts")).isEqualTo(mountinfo.size());
        assertThat(d.getString("details.mnt.root.propagation")).isEqualTo("private");
        String rootLine = mountinfo.stream().filter(l -> l.split(" ")[4].equals("/")).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(d.getString("details.mnt.root.fsType")).isEqualTo(rootLine.split(" - ")[1].split(" ")[0]);
    }

    @Test
    void cgroupRoot() throws Exception {
        int pid = pids.get(arg(7));
        JsonPath d = details(pid, "cgroup");
        assertThat(d.getString("details.cgroup.error")).isNull();
        // unshare -C made the namespace at the process's own cgroup: inside it is /, its root is its host path.
        List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"));
        assertThat(d.getList("details.cgroup.hierarchies")).hasSize(lines.size());
        assertThat(d.getList("details.cgroup.hierarchies.inside", String.class)).containsOnly("/");
        for (String line : lines) {
            String[] f = line.split(":", 3);
            assertThat(d.getString("details.cgroup.hierarchies.find { it.hierarchy == " + f[0] + " }.root"))
                    .isEqualTo(f[2]);
        }
    }
}
