package io.nsscope.live;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandboxes a {@link SandboxLiveTest} creates through the API (each deleted after the test), and what the host
 * shows of them: their processes, namespaces and the JVM's threads, read independently of nsscope.
 */
final class LiveSandboxes {

    static final String TOKEN = "sandbox-live-it-token-0123456789abcdef";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> ALL = LiveHost.TYPES;
    /** The longest a short command may take to end (the sandbox state leaves "running"). */
    private static final Duration END = Duration.ofSeconds(20);
    /** The longest the kernel may take to free a namespace after its last process, or a reaper thread to end. */
    private static final Duration RELEASE = Duration.ofSeconds(5);

    private final List<String> created = new ArrayList<>();

    /** {@code POST /sandboxes} with the token; a sandbox made is deleted by {@link #deleteAll()}. */
    Response create(Map<String, Object> body) {
        Response r = auth().contentType("application/json")
                .body(JSON.writeValueAsString(body))
                .post("/sandboxes");
        if (r.statusCode() == 201) {
            track(r.path("id"));
        }
        return r;
    }

    /** Deletes this sandbox after the test (for one made without {@link #create}). */
    void track(String id) {
        created.add(id);
    }

    /** The sandboxes made so far. */
    List<String> created() {
        return List.copyOf(created);
    }

    void deleteAll() {
        created.forEach(id -> auth().delete("/sandboxes/" + id));
    }

    static RequestSpecification auth() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    static Map<String, Object> body(List<String> types, String... command) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespaces", types);
        body.put("command", List.of(command));
        return body;
    }

    /** The state a sandbox reaches once it is no longer running. */
    static String awaitState(String id) {
        return await().atMost(END)
                .pollInterval(Duration.ofMillis(20))
                .alias("sandbox " + id + " still running")
                .until(() -> auth().get("/sandboxes/" + id).<String>path("state"), state -> !"running".equals(state));
    }

    /** The lines the sandbox's command wrote, once it exited. */
    static List<String> awaitEnd(String id) {
        assertThat(awaitState(id)).isEqualTo("exited");
        String logs = auth().get("/sandboxes/" + id + "/logs").asString();
        return logs.isEmpty() ? List.of() : List.of(logs.split("\n"));
    }

    /** The process is gone, each of these namespaces too, and no JVM thread stayed in a sandbox's namespace. */
    static void assertGone(int pid, Map<String, Long> inodes) {
        assertThat(Path.of("/proc/" + pid)).doesNotExist();
        for (Map.Entry<String, Long> e : inodes.entrySet()) {
            // a namespace dies with its last process, but the kernel may free it a little later
            await().atMost(RELEASE)
                    .pollInterval(Duration.ofMillis(10))
                    .untilAsserted(() -> assertThat(hostNamespaces())
                            .as(e.getKey() + " namespace " + e.getValue())
                            .doesNotContain(e.getValue()));
        }
        assertThat(threadsOutsideMyNamespaces()).isEmpty();
    }

    /** Every namespace inode lsns sees on the host. */
    static Set<Long> hostNamespaces() {
        Set<Long> inodes = new HashSet<>();
        String out = LiveHost.run(Duration.ofSeconds(60), "lsns", "-n", "-o", "NS")
                .requireSuccess()
                .out();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                inodes.add(Long.parseLong(line.trim()));
            }
        }
        return inodes;
    }

    /** Threads of this JVM whose namespaces are not the main thread's (none should ever stay). */
    static List<String> threadsOutsideMyNamespaces() {
        List<String> odd = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                for (String type :
                        List.of("cgroup", "ipc", "mnt", "net", "pid_for_children", "time_for_children", "uts")) {
                    String theirs = link(task.resolve("ns/" + type).toString());
                    String mine = link("/proc/self/ns/" + type);
                    if (theirs != null && !theirs.equals(mine)) {
                        odd.add(task.getFileName() + " " + type + " " + theirs);
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return odd;
    }

    /** The processes whose environment carries a sandbox's mark. */
    static List<Integer> markedProcesses() {
        List<Integer> marked = new ArrayList<>();
        for (int pid : LiveHost.pids()) {
            try {
                String env =
                        new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8);
                if (env.contains("NSSCOPE_SANDBOX_ID=sb-")) {
                    marked.add(pid);
                }
            } catch (IOException e) {
                // gone
            }
        }
        return marked;
    }

    /** Waits until no thread of a sandbox (its reaper, its output readers) remains in this JVM. */
    static void awaitNoSandboxThreads() {
        await().atMost(RELEASE)
                .pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet().stream()
                                .map(Thread::getName)
                                .filter(n -> n.startsWith("sandbox-sb-"))
                                .toList())
                        .as("reapers and readers end with their sandboxes")
                        .isEmpty());
    }

    /** The effective UID of a process as the host sees it (the second field of {@code Uid:} in its status). */
    static int hostUid(int pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no Uid line");
    }

    /** The target of a symbolic link, or null if it cannot be read. */
    static String link(String path) {
        try {
            return Files.readSymbolicLink(Path.of(path)).toString();
        } catch (IOException e) {
            return null;
        }
    }
}
