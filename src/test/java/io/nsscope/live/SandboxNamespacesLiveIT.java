package io.nsscope.live;

import static io.nsscope.live.LiveSandboxes.ALL;
import static io.nsscope.live.LiveSandboxes.assertGone;
import static io.nsscope.live.LiveSandboxes.auth;
import static io.nsscope.live.LiveSandboxes.body;
import static io.nsscope.live.LiveSandboxes.hostUid;
import static io.nsscope.live.LiveSandboxes.link;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /sandboxes} on this host's kernel, as root (skipped otherwise): the namespaces a sandbox is made in, each
 * type alone and all together, as the host sees them and as nsscope's views mark them, and gone after DELETE.
 */
class SandboxNamespacesLiveIT extends WithLiveSandboxes {

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
        given().get("/namespaces?refresh=true")
                .then()
                .statusCode(200)
                .body("namespaces.find { it.ns == " + net + "L }.sandbox", equalTo(id))
                .body("namespaces.find { it.ns == " + uts + "L }.sandbox", equalTo(id))
                .body("namespaces.find { it.ns == " + hostNet + "L }.sandbox", nullValue());
        given().get("/trees/net")
                .then()
                .statusCode(200)
                .body("namespaces.find { it.ns == " + net + "L }.sandbox", equalTo(id))
                .body("namespaces.find { it.ns == " + hostNet + "L }.sandbox", nullValue());
        given().accept("text/plain")
                .get("/trees/net")
                .then()
                .statusCode(200)
                .body(containsString("[" + net + "] sandbox " + id + "\n"));
        given().get("/trees/pid?by=parent")
                .then()
                .statusCode(200)
                .body(
                        "roots[0].children.find { it.ns == " + ((Number) r.path("namespaces.pid")).longValue()
                                + "L }.sandbox",
                        equalTo(id));
        auth().delete("/sandboxes/" + id).then().statusCode(204);
        given().get("/namespaces?refresh=true")
                .then()
                .statusCode(200)
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
            assertThat(((Number) r.path("namespaces." + type)).longValue())
                    .as(type)
                    .isEqualTo(inside);
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
        auth().get("/sandboxes/" + r.path("id"))
                .then()
                .statusCode(200)
                .body("state", equalTo("killed"))
                .body("signal", equalTo(9));
        assertGone(pid, inodes);
    }
}
