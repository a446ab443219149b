package io.nsscope.live;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code GET /processes} on the real {@code /proc} of this host: a process moved by the test into cgroups laid out as
 * Docker lays them out ({@code docker-<id>.scope} under systemd, {@code /docker/<id>} under cgroupfs) is reported
 * with runtime docker and that ID, and the list agrees with {@code ps -e -o pid=,ppid=}.
 *
 * <p>The cgroups are made in a hierarchy where a new group changes nothing for anyone else: the cgroup v2 hierarchy
 * (at {@code /sys/fs/cgroup}, or {@code /sys/fs/cgroup/unified} on a hybrid host) or else systemd's named v1
 * hierarchy, under a top-level directory of this run's own. Skipped when not root or when no such hierarchy is
 * writable; the sleeps are killed and the cgroups removed after each test, and that is asserted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ContainersLiveIT {

    private static final String RUN =
            String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));

    @LocalServerPort
    int port;

    private final List<Process> started = new ArrayList<>();
    private Path top;

    @BeforeEach
    void setUp() {
        assumeTrue(LiveHost.isRoot(), "skipped: not root: making cgroups and moving processes into them needs root");
        RestAssured.port = port;
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (top != null && Files.isDirectory(top)) {
            removeCgroups(top);
            assertThat(top).doesNotExist();
        }
        assertThat(started).noneMatch(Process::isAlive);
    }

    @Test
    void aProcessInADockerCgroupIsReportedWithItsRuntimeAndId() throws Exception {
        Optional<Path> hierarchy = writableHierarchy();
        assumeTrue(hierarchy.isPresent(), "no cgroup v2 or name=systemd hierarchy is mounted");
        top = hierarchy.get().resolve("nsscope-live-" + RUN);
        String scopeId = hexId();
        String bareId = hexId();
        Path scope = Files.createDirectories(top.resolve("docker-" + scopeId + ".scope"));
        Path bare = Files.createDirectories(top.resolve("docker").resolve(bareId));
        long inScope = startSleepIn(scope, "3000.1" + RUN);
        long inBare = startSleepIn(bare, "3000.2" + RUN);

        JsonPath one = given().queryParam("refresh", true)
                .get("/processes/" + inScope)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(one.getString("container.runtime")).isEqualTo("docker");
        assertThat(one.getString("container.containerId")).isEqualTo(scopeId);
        assertThat(one.getString("container.unit")).isEqualTo("docker-" + scopeId + ".scope");
        assertThat(one.getString("container.podUid")).isNull();
        assertThat(one.getString("command")).isEqualTo("sleep 3000.1" + RUN);

        JsonPath other = given().get("/processes/" + inBare)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(other.getString("container.runtime")).isEqualTo("docker");
        assertThat(other.getString("container.containerId")).isEqualTo(bareId);
        assertThat(other.getString("container.unit")).isNull();

        List<Integer> byPrefix = given().queryParam("container", scopeId.substring(0, 12))
                .get("/processes")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("processes.pid", Integer.class);
        assertThat(byPrefix).containsExactly((int) inScope);
    }

    @Test
    void theProcessListAgreesWithPs() {
        Map<Integer, Integer> before = ps();
        JsonPath answer = given().queryParam("refresh", true)
                .get("/processes")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<Integer, Integer> after = ps();
        Map<Integer, Integer> nsscope = new HashMap<>();
        List<Map<String, Object>> rows = answer.getList("processes");
        for (Map<String, Object> row : rows) {
            nsscope.put((Integer) row.get("pid"), (Integer) row.get("ppid"));
        }
        List<Integer> compared = new ArrayList<>();
        before.forEach((pid, ppid) -> {
            // In both ps reads with the same parent: alive, unchanged all along, so in nsscope's scan too.
            if (ppid.equals(after.get(pid))) {
                assertThat(nsscope)
                        .as("nsscope has PID %d, which ps listed before and after", pid)
                        .containsEntry(pid, ppid);
                compared.add(pid);
            }
        });
        assertThat(compared).hasSizeGreaterThan(10);
        assertThat(answer.getInt("snapshot.processes")).isEqualTo(rows.size());
    }

    /** The cgroup v2 hierarchy if mounted (whole, or beside v1 on a hybrid host), else systemd's named v1 one. */
    private static Optional<Path> writableHierarchy() {
        for (String dir : List.of("/sys/fs/cgroup", "/sys/fs/cgroup/unified", "/sys/fs/cgroup/systemd")) {
            Path p = Path.of(dir);
            if (Files.isRegularFile(p.resolve("cgroup.procs")) && Files.isWritable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private long startSleepIn(Path cgroup, String seconds) throws IOException {
        Process sleep = new ProcessBuilder("sleep", seconds)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(sleep);
        Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(sleep.pid()));
        assertThat(Files.readString(Path.of("/proc/" + sleep.pid() + "/cgroup")))
                .contains(cgroup.getFileName() + "\n");
        return sleep.pid();
    }

    /** Removes the test's cgroups, deepest first (rmdir is how a cgroup goes; its processes are gone by now). */
    private static void removeCgroups(Path dir) throws IOException {
        try (var children = Files.list(dir)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                removeCgroups(child);
            }
        }
        // EBUSY while a killed process is still being released from the group.
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class)
                .untilAsserted(() -> Files.delete(dir));
    }

    private static Map<Integer, Integer> ps() {
        LiveHost.Result ps = LiveHost.run(Duration.ofSeconds(30), "ps", "-e", "-o", "pid=,ppid=")
                .requireSuccess();
        Map<Integer, Integer> pids = new HashMap<>();
        for (String line : ps.out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                pids.put(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
            }
        }
        return pids;
    }

    private static String hexId() {
        StringBuilder id = new StringBuilder(RUN);
        while (id.length() < 64) {
            id.append(Integer.toHexString(ThreadLocalRandom.current().nextInt(16)));
        }
        return id.toString();
    }
}
