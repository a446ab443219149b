package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.nsscope.testing.FixtureServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /processes} and {@code GET /processes/{pid}} over HTTP on the fixture procfs. */
class ProcessApiIT extends FixtureServer {

    private static final String CID = "3f2a9c4e1b7d8a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29";
    private static final String POD = "6c1f4a3e-9b2d-4c7e-8f10-2a3b4c5d6e7f";

    @Test
    void listsEveryProcessByPidWithItsNamespacesAndContainer() {
        given().get("/processes")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body(
                        "processes.pid",
                        contains(1, 2, 3, 100, 101, 4242, 4400, 4500, 5431, 5438, 5741, 5742, 6000, 22755, 22771))
                .body("snapshot.processes", equalTo(15))
                .body("processes.find { it.pid == 5438 }.ppid", equalTo(5431))
                .body("processes.find { it.pid == 5438 }.comm", equalTo("init"))
                .body("processes.find { it.pid == 5438 }.command", equalTo("init [3]  "))
                .body("processes.find { it.pid == 5438 }.state", equalTo("S"))
                .body("processes.find { it.pid == 5438 }.user", equalTo("root"))
                .body("processes.find { it.pid == 5438 }.nspid", contains(5438, 1))
                .body("processes.find { it.pid == 5438 }.namespaces.net", equalTo(4026532345L))
                .body("processes.find { it.pid == 5438 }.namespaces.pid_for_children", equalTo(4026532342L))
                .body("processes.find { it.pid == 5438 }.namespaces.time_for_children", equalTo(4026531834L))
                .body("processes.find { it.pid == 5438 }.container.runtime", equalTo("containerd"))
                .body("processes.find { it.pid == 5438 }.container.containerId", equalTo(CID))
                .body("processes.find { it.pid == 5438 }.container.podUid", equalTo(POD))
                .body("processes.find { it.pid == 5438 }.container.unit", equalTo("cri-containerd-" + CID + ".scope"))
                .body("processes.find { it.pid == 1 }.container.runtime", equalTo("systemd"))
                .body("processes.find { it.pid == 1 }.container.unit", equalTo("init.scope"))
                .body("processes.find { it.pid == 1 }.container.containerId", nullValue())
                .body("processes.find { it.pid == 2 }.container", nullValue())
                .body("processes.find { it.pid == 2 }.kernelThread", equalTo(true))
                .body("processes.find { it.pid == 4500 }.state", equalTo("Z"))
                .body("processes.find { it.pid == 4500 }.namespaces.net", nullValue())
                .body("processes.find { it.pid == 4500 }.namespaces.pid", equalTo(4026531836L))
                .body("processes.find { it.pid == 4400 }.unreadable", equalTo(true))
                .body("processes.find { it.pid == 4400 }.container", nullValue())
                .body("processes.find { it.pid == 6000 }.namespaces.pid_for_children", equalTo(4026532500L));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ns=4026532500                                       | 6000",
                "ns=4026532342                                       | 5438 5741 5742",
                "netns=4026532345                                    | 5438 5741 5742",
                "userns=4026532212                                   | 22755 22771",
                "pidns=4026531836&userns=4026532212                  | 22755 22771",
                "pidns=4026532342&netns=4026531992                   | ''",
                "netns=4026531992&utsns=4026531838&mntns=4026531840&ipcns=4026531839&cgroupns=4026531835&timens=4026531834"
                        + " | 1 2 3 100 101 4242 5431 6000 22755 22771",
                "container=3f2a9c4e                                  | 5438 5741 5742",
                "container=" + CID + "                               | 5438 5741 5742",
                "container=8b5e2c1d4f7a                              | 22755 22771",
                "container=3f2a9c4e&pod=6c1f4a3e_9b2d_4c7e_8f10_2a3b4c5d6e7f | 5438 5741 5742",
                "pod=6C1F4A3E-9B2D-4C7E-8F10-2A3B4C5D6E7F            | 5438 5741 5742",
                "container=8b5e2c1d4f7a&pod=" + POD + "              | ''",
                "container=ffff                                      | ''",
            })
    void filtersCombineWithAnd(String query, String pids) {
        var found = given().urlEncodingEnabled(false)
                .get("/processes?" + query.trim())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("processes.pid", Integer.class);
        assertThat(found.stream().map(String::valueOf).toList())
                .isEqualTo(
                        pids.isBlank()
                                ? java.util.List.of()
                                : java.util.List.of(pids.trim().split(" ")));
    }

    @ParameterizedTest
    @CsvSource({
        "/processes?ns=abc, ns",
        "/processes?netns=0, netns",
        "/processes?pidns=-4, pidns",
        "/processes?utsns=4026531838x, utsns",
        "/processes?container=, container",
        "/processes?container=a%2Fb, container",
        "/processes?pod=zz, pod",
        "/processes/x, pid",
        "/processes/0, pid",
    })
    void malformedFiltersAre400ProblemsNamingTheParameter(String request, String parameter) {
        given().urlEncodingEnabled(false)
                .get(request)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-parameter"))
                .body("parameter", equalTo(parameter));
    }

    @Test
    void aPsLikeTable() {
        String text = given().accept("text/plain")
                .get("/processes?container=3f2a9c4e")
                .then()
                .statusCode(200)
                .contentType("text/plain;charset=UTF-8")
                .extract()
                .asString();
        assertThat(text).isEqualTo("""
                 PID PPID USER S   CGROUPNS      IPCNS      MNTNS      NETNS      PIDNS     TIMENS     USERNS      UTSNS\
                 CONTAINER               COMMAND
                5438 5431 root S 4026532434 4026532341 4026532337 4026532345 4026532342 4026531834 4026531837 4026532340\
                 containerd:3f2a9c4e1b7d init [3] \s
                5741 5438 root S 4026532434 4026532341 4026532337 4026532345 4026532342 4026531834 4026531837 4026532340\
                 containerd:3f2a9c4e1b7d /sbin/agetty --noclear tty1
                5742 5438 root S 4026532434 4026532341 4026532337 4026532345 4026532342 4026531834 4026531837 4026532340\
                 containerd:3f2a9c4e1b7d /usr/sbin/acpid
                """);
        given().accept("text/plain")
                .get("/processes")
                .then()
                .statusCode(200)
                .body(
                        containsString(
                                " 4500   100 root Z          -          -          -          - 4026531836          - 4026531837          - systemd:session-2.scope    defunct\n"));
    }

    @Test
    void oneProcessWithEverythingKnown() {
        given().get("/processes/5438")
                .then()
                .statusCode(200)
                .body("pid", equalTo(5438))
                .body("ppid", equalTo(5431))
                .body("nspid", contains(5438, 1))
                .body("namespaces.mnt", equalTo(4026532337L))
                .body("container.podUid", equalTo(POD))
                .body("children", contains(5741, 5742))
                .body(
                        "links.name",
                        contains(
                                "cgroup",
                                "ipc",
                                "mnt",
                                "net",
                                "pid",
                                "pid_for_children",
                                "time",
                                "time_for_children",
                                "user",
                                "uts"))
                .body("links.find { it.name == 'net' }.sameAsInit", equalTo(false))
                .body("links.find { it.name == 'user' }.sameAsInit", equalTo(true))
                .body("snapshot.processes", equalTo(15));
        given().get("/processes/4400")
                .then()
                .statusCode(200)
                .body("unreadable", equalTo(true))
                .body("children", empty())
                .body("container", nullValue())
                .body("namespaces.net", nullValue())
                .body("command", equalTo("secret"));
        given().get("/processes/22755")
                .then()
                .statusCode(200)
                .body("container.runtime", equalTo("podman"))
                .body("children", contains(22771));
        given().accept("text/plain")
                .get("/processes/5438")
                .then()
                .statusCode(200)
                .body(
                        containsString("Container:     " + CID + "\n"),
                        containsString("Pod:           " + POD + "\n"),
                        containsString("Children:      5741 5742\n"),
                        containsString("NSpid:         5438 1\n"),
                        containsString("lrwxrwxrwx net -> net:[4026532345]   (not init's)\n"));
        given().get("/processes/5438").then().body("looseThreads", empty());
        // nsscope itself in the fixture: its thread 4250 unshared a uts namespace
        given().get("/processes/4242")
                .then()
                .statusCode(200)
                .body("looseThreads", hasSize(1))
                .body("looseThreads[0].tid", equalTo(4250))
                .body("looseThreads[0].comm", equalTo("nsscope-probe"))
                .body("looseThreads[0].differs", equalTo(java.util.Map.of("uts", 4026532602L)));
        given().accept("text/plain")
                .get("/processes/4242")
                .then()
                .statusCode(200)
                .body(containsString("Loose thread:  4250 (nsscope-probe): uts:[4026532602]\n"));
        given().get("/processes/77777")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/process-not-found"));
        given().get("/processes/4300").then().statusCode(404);
    }

    @Test
    void theProcessNamespacesEndpointIsUnchanged() {
        given().get("/processes/5438/ns")
                .then()
                .statusCode(200)
                .body("pid", equalTo(5438))
                .body("namespaces", hasSize(10))
                .body("container", nullValue());
    }

    @Test
    void answersAreCachedPerSnapshotAndConditional() {
        var first = given().get("/processes?netns=4026532345")
                .then()
                .statusCode(200)
                .extract();
        String again = given().get("/processes?netns=4026532345")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(again).isEqualTo(first.asString());
        given().header("If-None-Match", first.header("ETag"))
                .get("/processes?netns=4026532345")
                .then()
                .statusCode(304);
        given().header("If-None-Match", first.header("ETag"))
                .get("/processes/1")
                .then()
                .statusCode(304);
        given().get("/").then().statusCode(200).body("links.keySet()", hasItems("processes", "process-detail"));
    }
}
