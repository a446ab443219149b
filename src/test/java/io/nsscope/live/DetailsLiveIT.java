package io.nsscope.live;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * and were thrown away. This is nsscope with every capability (root in the test JVM): everything is read, net over
 * route netlink inside the namespace; {@link DetailsUnderChartCapabilitiesLiveIT} runs it as the Helm chart does.
 *
 * <p>Skipped unless root with unshare, setsid, sleep, sh, ip and ipcmk ({@link LiveNamespaces}). Every process
 * started is killed with its descendants, and the network namespace deleted, in {@link #stopEverything()}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DetailsLiveIT {

    private static final Duration TIMEOUT = LiveNamespaces.TIMEOUT;
    static LiveNamespaces ns;
    static String skipReason;

    @LocalServerPort
    int port;

    @BeforeAll
    static void makeNamespaces() throws Exception {
        skipReason = LiveNamespaces.unavailable().orElse(null);
        if (skipReason == null) {
            ns = new LiveNamespaces();
            ns.start();
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (ns != null) {
            ns.stop();
        }
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
                        target = Files.readSymbolicLink(task.resolve("ns").resolve(link))
                                .toString();
                    } catch (IOException e) {
                        continue; // the thread ended meanwhile
                    }
                    assertThat(target)
                            .as("thread %s, ns/%s", task.getFileName(), link)
                            .isEqualTo(own.get(link));
                }
                threads++;
            }
        }
        assertThat(threads).isGreaterThan(1);
    }

    private static long inode(int pid, String type) throws IOException {
        return LiveHost.inodeOf(
                Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + type)).toString());
    }

    private static JsonPath details(int pid, String type) throws IOException {
        return given().queryParam("refresh", true)
                .get("/namespaces/" + inode(pid, type))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void utsHostname() throws Exception {
        int pid = ns.pid("uts");
        JsonPath d = details(pid, "uts");
        assertThat(d.getInt("details.via")).isEqualTo(pid);
        assertThat(d.getString("details.uts.hostname")).isEqualTo(ns.hostname);
        assertThat(d.getString("details.uts.domainname")).isEqualTo("(none)");
        assertThat(d.getString("details.uts.error")).isNull();
        String text = given().accept("text/plain")
                .get("/namespaces/" + inode(pid, "uts"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(text).contains("hostname: " + ns.hostname + "\n");
    }

    @Test
    void netInterfacesAsIpBriefShowsThem() throws Exception {
        int pid = ns.pid("net");
        JsonPath d = details(pid, "net");
        assertThat(d.getString("details.net.error")).isNull();
        assertThat(d.getString("details.net.source")).isEqualTo("netlink");
        assertThat(d.getList("details.net.addressesWithoutInterface")).isEmpty();
        String ip = ns.ip();
        String brief = LiveHost.run(TIMEOUT, ip, "-n", ns.netns, "-br", "addr")
                .requireSuccess()
                .out();
        String text = given().accept("text/plain")
                .get("/namespaces/" + inode(pid, "net"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        // Same lines, token by token (ip pads with trailing spaces).
        List<List<String>> expected =
                brief.lines().map(l -> List.of(l.trim().split("\\s+"))).toList();
        List<List<String>> actual = text.lines()
                .filter(l -> expected.stream().anyMatch(e -> l.startsWith(e.get(0))))
                .map(l -> List.of(l.trim().split("\\s+")))
                .toList();
        assertThat(actual).isEqualTo(expected);
        assertThat(d.getList("details.net.interfaces.name", String.class)).containsExactly("lo", ns.innerEnd);
        assertThat(d.getList("details.net.interfaces[1].addresses", String.class))
                .contains("10.231.7.2/24", "10.231.8.9/32", "fd00:231:7::2/64");
        assertThat(d.getString("details.net.interfaces[1].state")).isEqualTo("UP");
    }

    @Test
    void timeOffsets() throws Exception {
        int pid = ns.pid("time");
        JsonPath d = details(pid, "time");
        assertThat(d.getLong("details.time.monotonic.seconds")).isEqualTo(86400);
        assertThat(d.getLong("details.time.boottime.seconds")).isEqualTo(3600);
        assertThat(d.getLong("details.time.monotonic.nanoseconds")).isZero();
    }

    @Test
    void userMapsAndOwner() throws Exception {
        int pid = ns.pid("user");
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
        int pid = ns.pid("pid");
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
        int pid = ns.pid("ipc");
        JsonPath d = details(pid, "ipc");
        assertThat(d.getInt("details.ipc.sharedMemorySegments")).isEqualTo(1);
        assertThat(d.getInt("details.ipc.semaphoreSets")).isZero();
        assertThat(d.getInt("details.ipc.messageQueues")).isZero();
    }

    @Test
    void mountsAndRoot() throws Exception {
        int pid = ns.pid("mnt");
        List<String> mountinfo = Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo"));
        JsonPath d = details(pid, "mnt");
        assertThat(d.getInt("details.mnt.mounts")).isEqualTo(mountinfo.size());
        assertThat(d.getString("details.mnt.root.propagation")).isEqualTo("private");
        String rootLine = mountinfo.stream()
                .filter(l -> l.split(" ")[4].equals("/"))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(d.getString("details.mnt.root.fsType"))
                .isEqualTo(rootLine.split(" - ")[1].split(" ")[0]);
    }

    @Test
    void cgroupRoot() throws Exception {
        int pid = ns.pid("cgroup");
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
