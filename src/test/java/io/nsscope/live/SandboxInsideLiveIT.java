package io.nsscope.live;

import static io.nsscope.live.LiveSandboxes.auth;
import static io.nsscope.live.LiveSandboxes.awaitEnd;
import static io.nsscope.live.LiveSandboxes.body;
import static io.nsscope.live.LiveSandboxes.hostUid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /sandboxes} on this host's kernel, as root (skipped otherwise): what the command sees inside its namespaces
 * (hostname, user and its mappings, time offsets, network devices, {@code /proc}, environment), and which UID the
 * host sees it run as.
 */
class SandboxInsideLiveIT extends WithLiveSandboxes {

    private static double uptime(String line) {
        return Double.parseDouble(line.trim().split("\\s+")[0]);
    }

    @Test
    void hostnameUserMappingsAndTheHostsViewOfTheUid() {
        Map<String, Object> box = body(List.of("uts", "user"), "/bin/sh", "-c", "hostname; id -u; id -G");
        box.put("hostname", "box1");
        box.put("user", Map.of("mapping", "root"));
        String root = create(box).then().statusCode(201).extract().path("id");
        assertThat(awaitEnd(root)).isEqualTo(List.of("box1", "0", "0"));
        assertThat(auth().get("/sandboxes/" + root).<List<Map<String, Object>>>path("uidMap"))
                .hasSize(1);

        String none = create(body(List.of("user"), "/bin/sh", "-c", "id -u; cat /proc/self/uid_map | wc -l"))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        assertThat(awaitEnd(none)).isEqualTo(List.of("65534", "0"));

        Map<String, Object> explicit = body(List.of("user"), "/bin/sh", "-c", "id -u; cat /proc/self/uid_map");
        explicit.put("user", Map.of("mapping", List.of(Map.of("inside", 0, "outside", 300500, "count", 400))));
        String mapped = create(explicit)
                .then()
                .statusCode(201)
                .body("hostUid", equalTo(300500))
                .extract()
                .path("id");
        List<String> lines = awaitEnd(mapped);
        assertThat(lines.get(0)).isEqualTo("0");
        assertThat(lines.get(1).trim().split("\\s+")).containsExactly("0", "300500", "400");

        // without a user namespace: the pool UID, no supplementary group, no capability
        String plain = create(body(List.of("uts"), "/bin/sh", "-c", "id -u; id -G; grep CapEff /proc/self/status"))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
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
        String id = create(body(List.of("net"), "/bin/cat", "/proc/net/dev"))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        List<String> devices =
                awaitEnd(id).stream().skip(2).map(l -> l.trim().split(":")[0]).toList();
        assertThat(devices).containsExactly("lo");
    }

    @Test
    void mountProcShowsOnlyTheSandbox() {
        String id = create(body(List.of("pid", "mnt"), "/bin/ls", "/proc"))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        assertThat(awaitEnd(id).stream().filter(name -> name.matches("[0-9]+"))).containsExactly("1"); // ls itself
        long me = ProcessHandle.current().pid();
        Map<String, Object> noProc =
                body(List.of("pid", "mnt"), "/bin/sh", "-c", "test -d /proc/" + me + " && echo host");
        noProc.put("mountProc", false);
        String id2 = create(noProc).then().statusCode(201).extract().path("id");
        assertThat(awaitEnd(id2)).containsExactly("host"); // without mountProc it still sees the host's /proc
    }

    @Test
    void theCommandGetsOnlyTheRequestsEnvironmentAndTheHelpersRunningAsRootNoneOfIt() {
        Map<String, Object> box = body(List.of("pid", "mnt"), "/bin/sh", "-c", "tr '\\0' '\\n' < /proc/1/environ");
        box.put("env", Map.of("FOO", "bar"));
        String id = create(box).then().statusCode(201).extract().path("id");
        assertThat(awaitEnd(id))
                .containsExactlyInAnyOrder(
                        "FOO=bar",
                        "NSSCOPE_SANDBOX_ID=" + id,
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
}
