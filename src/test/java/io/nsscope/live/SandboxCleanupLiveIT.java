package io.nsscope.live;

import static io.nsscope.live.LiveSandboxes.ALL;
import static io.nsscope.live.LiveSandboxes.JSON;
import static io.nsscope.live.LiveSandboxes.assertGone;
import static io.nsscope.live.LiveSandboxes.auth;
import static io.nsscope.live.LiveSandboxes.awaitNoSandboxThreads;
import static io.nsscope.live.LiveSandboxes.awaitState;
import static io.nsscope.live.LiveSandboxes.body;
import static io.nsscope.live.LiveSandboxes.hostNamespaces;
import static io.nsscope.live.LiveSandboxes.markedProcesses;
import static io.nsscope.live.LiveSandboxes.threadsOutsideMyNamespaces;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code /sandboxes} on this host's kernel, as root (skipped otherwise): nothing (process, namespace, JVM thread in a
 * sandbox's namespace) is left after TTL expiry, a failed creation, or many creations at once.
 */
class SandboxCleanupLiveIT extends WithLiveSandboxes {

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
            List<String> types = i % 2 == 0
                    ? ALL
                    : ALL.stream().filter(t -> !t.equals("user")).toList();
            futures.add(pool.submit(() -> auth().contentType("application/json")
                    .body(JSON.writeValueAsString(body(types, "/bin/sleep", "600")))
                    .post("/sandboxes")));
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
                sandboxes.track(r.path("id"));
                Map<String, Long> inodes = new LinkedHashMap<>();
                ((Map<String, Number>) r.path("namespaces")).forEach((t, n) -> inodes.put(t, n.longValue()));
                inodes.keySet().retainAll(r.<List<String>>path("created"));
                started.put(r.path("pid"), inodes);
            }
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        assertThat(started).isNotEmpty();
        assertThat(new HashSet<>(LiveHost.pids())).containsAll(started.keySet());
        for (String id : sandboxes.created()) {
            auth().delete("/sandboxes/" + id).then().statusCode(204);
        }
        started.forEach(LiveSandboxes::assertGone);
        assertThat(markedProcesses()).isEmpty();
        awaitNoSandboxThreads();
    }

    @Test
    void failedCreationsLeaveNothing() {
        Set<Long> namespacesBefore = hostNamespaces();
        Map<String, Object> missing = body(ALL, "/bin/no-such-program");
        create(missing).then().statusCode(400).body("parameter", equalTo("command[0]"));
        Map<String, Object> badMaps = body(List.of("user"), "/bin/true");
        badMaps.put(
                "user",
                Map.of(
                        "mapping",
                        List.of(
                                Map.of("inside", 0, "outside", 300000, "count", 10),
                                Map.of("inside", 10, "outside", 300005, "count", 10))));
        create(badMaps).then().statusCode(400).body("parameter", equalTo("user.mapping[1].outside"));
        // the kernel refuses a boot time before boot: after unshare, so the new namespaces must go again
        Map<String, Object> refused =
                body(ALL.stream().filter(t -> !t.equals("user")).toList(), "/bin/true");
        refused.put("timeOffsets", Map.of("boottime", -3_000_000_000L, "monotonic", 0));
        create(refused)
                .then()
                .statusCode(422)
                .body("type", equalTo("/problems/syscall-failed"))
                .body("syscall", equalTo("write(timens_offsets)"))
                .body("errno", startsWith("E"));
        assertThat(markedProcesses()).isEmpty();
        Set<Long> leaked = hostNamespaces();
        leaked.removeAll(namespacesBefore);
        assertThat(leaked)
                .as("namespaces only a failed sandbox could have made")
                .isEmpty();
        assertThat(threadsOutsideMyNamespaces()).isEmpty();
    }
}
