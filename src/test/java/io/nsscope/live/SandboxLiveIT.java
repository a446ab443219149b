package io.nsscope.live;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.RestAssured;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /sandboxes} on this host's kernel, as root (skipped otherwise): what each namespace type does to the
 * sandbox as seen from the host and from inside, and that nothing (process, namespace, JVM thread in a sandbox's
 * namespace) is left after DELETE, TTL expiry, a failed creation, or many creations at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "nsscope.sandbox.enabled=true", "nsscope.sandbox.token=" + SandboxLiveIT.TOKEN,
        "nsscope.sandbox.max-concurrent=64", "nsscope.sandbox.creations-per-minute=100000",
        "nsscope.sandbox.uid-pool=300000-300999", "nsscope.scan.interval=1h",
        "nsscope.sandbox.allowed-executables=/bin/*,/usr/bin/*", "nsscope.sandbox.required-namespaces="})
class SandboxLiveIT {

    static final String TOKEN = "sandbox-live-it-token-0123456789abcdef";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> ALL = LiveHost.TYPES;

    @LocalServerPort
    int port;

    private final List<String> created = new ArrayList<>();

    @BeforeEach
    void setUp() {
        assumeTrue(LiveHost.isRoot(), "sandboxes need root");
        RestAssured.port = port;
    }

    @AfterEach
    void deleteAll() {
        created.forEach(id -> auth().delete("/sandboxes/" + id));
    }

    static RequestSpecification auth() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    Response create(Map<String, Object> body) {
        Response r = auth().contentType("application/json").body(JSON.writeValueAsString(body)).post("/sandboxes");
        if (r.statusCode() == 201) {
            created.add(r.path("id"));
        }
        return r;
    }

    static Map<String, Object> body(List<String> types, String... command) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespaces", types);
        body.put("command", List.of(command));
        return body;
    }

    static Stream<List<String>> typeSets() {
        return Stream.concat(ALL.stream().map(List::of), Stream.of(ALL));
    }

    @Test
    void aSandboxsNamespacesAreMarkedWithItsIdInNamespacesAndTrees() {
        Response r = create(body(List.of("net", "uts", "pid", "mnt"), "/bin/sleep", "600"));
        r.then().statusCode(201);
        String id = r.path("id");
        long net = ((Number) r.path("namespaces.net")).longValue();
        long uts = ((Number) r.path("namespaces.uts")).longValue();
        long hostNet = LiveHost.inodeOf(link("/proc/self/ns/net"));
        given().get("/namespaces?refresh=true").then().statusCode(200)
                .body("namespaces.find { it.ns == " + net + "L }.sandbox", equalTo(id))
                .body("namespaces.find { it.ns == " + uts + "L }.sandbox", equalTo(id))
                .body("namespaces.find { it.ns == " + hostNet + "L }.sandbox", nullValue());
        given().get("/trees/net").then().statusCode(200)
                .body("namespaces.find { it.ns == " + net + "L }.sandbox", equalTo(id))
                .body("namespaces.find { it.ns == " + hostNet + "L }.sandbox", nullValue());
        given().accept("text/plain").get("/trees/net").then().statusCode(200)
                .body(containsString("[" + net + "] sandbox " + id + "\n"));
        given().get("/trees/pid?by=parent").then().statusCode(200)
                .body("roots[0].children.find { it.ns == " + ((Number) r.path("namespaces.pid")).longValue()
                        + "L }.sandbox", equalTo(id));
        auth().delete("/sandboxes/" + id).then().statusCode(204);
        given().get("/namespaces?refresh=true").then().statusCode(200)
                .body("namespaces.sandbox", everyItem(nullValue()));
    }

    @ParameterizedTest
    @MethodSource("typeSets")
    void eachTypeAloneAndAllTogetherDifferOnlyInTheirTypesAndLeaveNothingAfterDelete(List<String> types) {
        types.forEach(t -> assumeTrue(LiveHost.kernelHas(t), "kernel lacks " + t));
        Response r = create(body(types, "/bin/sleep", "600"));
        r.then().statusCode(201).header("Location", equalTo("/sandboxes/" + r.path("id")));
        int pid = r.path("pid");
        Map<String, Long> inodes = new LinkedHashMap<>();
        for (String type : ALL) {
            long inside = LiveHost.inodeOf(link("/proc/" + pid + "/ns/" + type));
            long mine = LiveHost.inodeOf(link("/proc/self/ns/" + type));
            assertThat(inside != mine).as(type).isEqualTo(types.contains(type));
            assertThat(((Number) r.path("namespaces." + type)).longValue()).as(type).isEqualTo(inside);
            if (types.contains(type)) {
                inodes.put(type, inside);
            }
        }
        List<Integer> nspid = LiveHost.nspid(pid);
        assertThat(nspid.get(0)).isEqualTo(pid);
        assertThat(nspid.size() == 2 && nspid.get(1) == 1).isEqualTo(types.contains("pid"));
        assertThat(r.<List<Integer>>path("nspid")).isEqualTo(nspid);
        assertThat(hostUid(pid)).isEqualTo(r.<Integer>path("hostUid")).isBetween(300000, 300999);
        assertThat(r.<String>path("state")).isEqualTo("running");

        auth().delete("/sandboxes/" + r.path("id")).then().statusCode(204);
        auth().delete("/sandboxes/" + r.path("id")).then().statusCode(204); // idempotent
        auth().get("/sandboxes/" + r.path("id")).then().statusCode(200).body("state", equalTo("killed"))
                .body("signal", equalTo(9));
        assertGone(pid, inodes);
    }

    @Test
    void hostnameUserMappingsAndTheHostsViewOfTheUid() {
        Map<String, Object> box = body(List.of("uts", "user"), "/bin/sh", "-c", "hostname; id -u; id -G");
        box.put("hostname", "box1");
        box.put("user", Map.of("mapping", "root"));
        String root = create(box).then().statusCode(201).extract().path("id");
        assertThat(awaitEnd(root)).isEqualTo(List.of("box1", "0", "0"));
        assertThat(auth().get("/sandboxes/" + root).<List<Map<String, Object>>>path("uidMap")).hasSize(1);

        String none = create(body(List.of("user"), "/bin/sh", "-c", "id -u; cat /proc/self/uid_map | wc -l"))
                .then().statusCode(201).extract().path("id");
        assertThat(awaitEnd(none)).isEqualTo(List.of("65534", "0"));

        Map<String, Object> explicit = body(List.of("user"), "/bin/sh", "-c", "id -u; cat /proc/self/uid_map");
        explicit.put("user", Map.of("mapping", List.of(Map.of("inside", 0, "outside", 300500, "count", 400))));
        String mapped = create(explicit).then().statusCode(201).body("hostUid", equalTo(300500))
                .extract().path("id");
        List<String> lines = awaitEnd(mapped);
        assertThat(lines.get(0)).isEqualTo("0");
        assertThat(lines.get(1).trim().split("\\s+")).containsExactly("0", "300500", "400");

        // without a user namespace: the pool UID, no supplementary group, no capability
        String plain = create(body(List.of("uts"), "/bin/sh", "-c", "id -u; id -G; grep CapEff /proc/self/status"))
                .then().statusCode(201).extract().path("id");
        List<String> out = awaitEnd(plain);
        int uid = auth().get("/sandboxes/" + plain).path("hostUid");
        assertThat(out).containsExactly(Integer.toString(uid), Integer.toString(uid), "CapEff:\t0000000000000000");
    }

    @Test
    void runningSandboxIsSeenAsThePoolUidFromTheHost() {
        Map<String, Object> box = body(List.of("user", "pid", "mnt"), "/bin/sleep", "600");
        box.put("user", Map.of("mapping", "root"));
        Response r = create(box).then().statusCode(201).extract().response();
        assertThat(hostUid(r.path("pid"))).isEqualTo(r.<Integer>path("hostUid")).isNotZero();
    }

    @Test
    void timeOffsetsShiftUptime() throws IOException {
        assumeTrue(LiveHost.kernelHas("time"));
        Map<String, Object> box = body(List.of("time"), "/bin/cat", "/proc/uptime");
        box.put("timeOffsets", Map.of("boottime", 86400, "monotonic", 86400));
        double before = uptime(Files.readString(Path.of("/proc/uptime")));
        String id = create(box).then().statusCode(201).extract().path("id");
        double inside = uptime(awaitEnd(id).get(0));
        assertThat(inside).isGreaterThanOrEqualTo(before + 86400);
        assertThat(inside).isLessThan(uptime(Files.readString(Path.of("/proc/uptime"))) + 86400 + 1);
    }

    @Test
    void aNetworkNamespaceHasOnlyLoopback() {
        String id = create(body(List.of("net"), "/bin/cat", "/proc/net/dev")).then().statusCode(201)
                .extract().path("id");
        List<String> devices = awaitEnd(id).stream().skip(2).map(l -> l.trim().split(":")[0]).toList();
        assertThat(devices).containsExactly("lo");
    }

    @Test
    void mountProcShowsOnlyTheSandbox() {
        String id = create(body(List.of("pid", "mnt"), "/bin/ls", "/proc")).then().statusCode(201)
                .extract().path("id");
        assertThat(awaitEnd(id).stream().filter(name -> name.matches("[0-9]+"))).containsExactly("1"); // ls itself
        long me = ProcessHandle.current().pid();
        Map<String, Object> noProc = body(List.of("pid", "mnt"), "/bin/sh", "-c", "test -d /proc/" + me + " && echo host");
        noProc.put("mountProc", false);
        String id2 = create(noProc).then().statusCode(201).extract().path("id");
        assertThat(awaitEnd(id2)).containsExactly("host"); // without mountProc it still sees the host's /proc
    }

    @Test
    void theCommandGetsOnlyTheRequestsEnvironmentAndTheHelpersRunningAsRootNoneOfIt() {
        Map<String, Object> box = body(List.of("pid", "mnt"), "/bin/sh", "-c", "tr '\\0' '\\n' < /proc/1/environ");
        box.put("env", Map.of("FOO", "bar"));
        String id = create(box).then().statusCode(201).extract().path("id");
        assertThat(awaitEnd(id)).containsExactlyInAnyOrder("FOO=bar", "NSSCOPE_SANDBOX_ID=" + id,
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        // loader variables are refused: nothing starts
        int known = auth().get("/sandboxes").then().statusCode(200).extract().path("sandboxes.size()");
        for (String name : List.of("LD_PRELOAD", "LD_LIBRARY_PATH", "GCONV_PATH", "GLIBC_TUNABLES", "MALLOC_CHECK_")) {
            Map<String, Object> loader = body(List.of("pid", "mnt"), "/bin/true");
            loader.put("env", Map.of(name, "/nonexistent/nsscope-test.so"));
            create(loader).then().statusCode(400).body("parameter", equalTo("env." + name));
        }
        auth().get("/sandboxes").then().statusCode(200).body("sandboxes.size()", equalTo(known));
    }

    @Test
    void ttlExpiryKillsAndLeavesNothing() {
        Map<String, Object> box = body(ALL, "/bin/sleep", "600");
        box.put("ttlSeconds", 1);
        Response r = create(box).then().statusCode(201).extract().response();
        int pid = r.path("pid");
        Map<String, Long> inodes = new LinkedHashMap<>();
        ALL.forEach(t -> inodes.put(t, ((Number) r.path("namespaces." + t)).longValue()));
        String state = awaitState(r.path("id"));
        assertThat(state).isEqualTo("expired");
        assertGone(pid, inodes);
    }

    @Test
    void manyCreationsInParallelAllSucceedOrFailCleanly() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Response>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            List<String> types = i % 2 == 0 ? ALL : ALL.stream().filter(t -> !t.equals("user")).toList();
            futures.add(pool.submit(() -> auth().contentType("application/json")
                    .body(JSON.writeValueAsString(body(types, "/bin/sleep", "600"))).post("/sandboxes")));
        }
        // keep the JVM busy meanwhile: scans of the whole host
        for (int i = 0; i < 5; i++) {
            given().get("/namespaces?refresh=true").then().statusCode(200);
        }
        Map<Integer, Map<String, Long>> started = new LinkedHashMap<>();
        for (Future<Response> f : futures) {
            Response r = f.get();
            assertThat(r.statusCode()).as(r.asString()).isIn(201, 429, 503);
            if (r.statusCode() == 201) {
                created.add(r.path("id"));
                Map<String, Long> inodes = new LinkedHashMap<>();
                ((Map<String, Number>) r.path("namespaces")).forEach((t, n) -> inodes.put(t, n.longValue()));
                inodes.keySet().retainAll(r.<List<String>>path("created"));
                started.put(r.path("pid"), inodes);
            }
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(started).isNotEmpty();
        assertThat(new HashSet<>(LiveHost.pids())).containsAll(started.keySet());
        for (String id : List.copyOf(created)) {
            auth().delete("/sandboxes/" + id).then().statusCode(204);
        }
        started.forEach(this::assertGone);
        assertThat(markedProcesses()).isEmpty();
        assertThat(awaitNoSandboxThreads()).as("reapers and readers end with their sandboxes").isEmpty();
    }

    @Test
    void failedCreationsLeaveNothing() {
        Set<Long> namespacesBefore = hostNamespaces();
        Map<String, Object> missing = body(ALL, "/bin/no-such-program");
        create(missing).then().statusCode(400).body("parameter", equalTo("command[0]"));
        Map<String, Object> badMaps = body(List.of("user"), "/bin/true");
        badMaps.put("user", Map.of("mapping", List.of(Map.of("inside", 0, "outside", 300000, "count", 10),
                Map.of("inside", 10, "outside", 300005, "count", 10))));
        create(badMaps).then().statusCode(400).body("parameter", equalTo("user.mapping[1].outside"));
        // the kernel refuses a boot time before boot: after unshare, so the new namespaces must go again
        Map<String, Object> refused = body(ALL.stream().filter(t -> !t.equals("user")).toList(), "/bin/true");
        refused.put("timeOffsets", Map.of("boottime", -3_000_000_000L, "monotonic", 0));
        create(refused).then().statusCode(422).body("type", equalTo("/problems/syscall-failed"))
                .body("syscall", equalTo("write(timens_offsets)")).body("errno", startsWith("E"));
        assertThat(markedProcesses()).isEmpty();
        Set<Long> leaked = hostNamespaces();
        leaked.removeAll(namespacesBefore);
        assertThat(leaked).as("namespaces only a failed sandbox could have made").isEmpty();
        assertThat(threadsOutsideMyNamespaces()).isEmpty();
    }

    @Test
    void tokensAreRequiredAndReadEndpointsStayOpen() {
        given().get("/sandboxes").then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("/problems/unauthorized"));
        given().header("Authorization", "Bearer wrong-token-wrong-token-wrong-token").get("/sandboxes").then()
                .statusCode(401).header("WWW-Authenticate", equalTo("Bearer realm=\"nsscope\", error=\"invalid_token\""));
        auth().get("/sandboxes").then().statusCode(200).header("Cache-Control", equalTo("no-store"));
        given().get("/namespaces").then().statusCode(200);
        given().get("/actuator/health").then().statusCode(200);
        auth().get("/sandboxes/sb-0000000000000000").then().statusCode(404)
                .body("type", equalTo("/problems/sandbox-not-found"));
    }

    @Test
    void logsAreTheTailOfStdoutAndStderr() {
        String id = create(body(List.of("pid"), "/bin/sh", "-c", "echo out; echo err >&2")).then().statusCode(201)
                .extract().path("id");
        awaitState(id);
        assertThat(auth().get("/sandboxes/" + id + "/logs").then().statusCode(200).extract().asString())
                .isEqualTo("out\nerr\n");
        assertThat(auth().get("/sandboxes/" + id).<Integer>path("exitCode")).isZero();
    }

    @Test
    void metricsCountSandboxes() {
        String id = create(body(List.of("uts"), "/bin/sleep", "600")).then().statusCode(201).extract().path("id");
        String scrape = given().get("/actuator/prometheus").then().statusCode(200).extract().asString();
        assertThat(metric(scrape, "nsscope_sandbox_running")).isGreaterThanOrEqualTo(1);
        assertThat(metric(scrape, "nsscope_sandbox_creations_total")).isGreaterThanOrEqualTo(1);
        auth().delete("/sandboxes/" + id).then().statusCode(204);
        String after = given().get("/actuator/prometheus").then().statusCode(200).extract().asString();
        assertThat(metric(after, "nsscope_sandbox_running")).isLessThan(metric(scrape, "nsscope_sandbox_running"));
    }

    private static double metric(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the scrape"));
    }

    // --- helpers ---

    private String awaitState(String id) {
        for (int i = 0; i < 1000; i++) {
            String state = auth().get("/sandboxes/" + id).path("state");
            if (!"running".equals(state)) {
                return state;
            }
            sleep(20);
        }
        throw new AssertionError("sandbox " + id + " still running");
    }

    private List<String> awaitEnd(String id) {
        assertThat(awaitState(id)).isEqualTo("exited");
        String logs = auth().get("/sandboxes/" + id + "/logs").asString();
        return logs.isEmpty() ? List.of() : List.of(logs.split("\n"));
    }

    private void assertGone(int pid, Map<String, Long> inodes) {
        assertThat(Path.of("/proc/" + pid)).doesNotExist();
        Set<Long> host = hostNamespaces();
        for (Map.Entry<String, Long> e : inodes.entrySet()) {
            // a namespace dies with its last process, but the kernel may free it a little later: poll for that
            for (int i = 0; i < 500 && host.contains(e.getValue()); i++) {
                sleep(10);
                host = hostNamespaces();
            }
            assertThat(host).as(e.getKey() + " namespace " + e.getValue()).doesNotContain(e.getValue());
        }
        assertThat(threadsOutsideMyNamespaces()).isEmpty();
    }

    /** Every namespace inode lsns sees on the host. */
    private static Set<Long> hostNamespaces() {
        Set<Long> inodes = new HashSet<>();
        String out = LiveHost.run(Duration.ofSeconds(60), "lsns", "-n", "-o", "NS").requireSuccess().out();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                inodes.add(Long.parseLong(line.trim()));
            }
        }
        return inodes;
    }

    /** Threads of this JVM whose namespaces are not the main thread's (none should ever stay). */
    private static List<String> threadsOutsideMyNamespaces() {
        List<String> odd = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                for (String type : List.of("cgroup", "ipc", "mnt", "net", "pid_for_children", "time_for_children",
                        "uts")) {
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

    private static List<Integer> markedProcesses() {
        List<Integer> marked = new ArrayList<>();
        for (int pid : LiveHost.pids()) {
            try {
                String env = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")),
                        StandardCharsets.UTF_8);
                if (env.contains("NSSCOPE_SANDBOX_ID=sb-")) {
                    marked.add(pid);
                }
            } catch (IOException e) {
                // gone
            }
        }
        return marked;
    }

    private static List<String> awaitNoSandboxThreads() {
        List<String> names = List.of();
        for (int i = 0; i < 500; i++) {
            names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(n -> n.startsWith("sandbox-sb-")).toList();
            if (names.isEmpty()) {
                break;
            }
            sleep(10);
        }
        return names;
    }

    private static int hostUid(int pid) {
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

    private static double uptime(String line) {
        return Double.parseDouble(line.trim().split("\\s+")[0]);
    }

    private static String link(String path) {
        try {
            return Files.readSymbolicLink(Path.of(path)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
