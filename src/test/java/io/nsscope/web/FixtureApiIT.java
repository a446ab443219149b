package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.nsscope.testing.FixtureServer;
import org.junit.jupiter.api.Test;

/** The whole service over HTTP on a random port, reading the fixture procfs. */
class FixtureApiIT extends FixtureServer {

    @Test
    void listsNamespacesWithLsnsKeys() {
        given().get("/namespaces")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("namespaces", hasSize(18))
                .body(
                        "namespaces.ns",
                        contains(
                                4026531834L,
                                4026531835L,
                                4026531836L,
                                4026531837L,
                                4026531838L,
                                4026531839L,
                                4026531840L,
                                4026531992L,
                                4026532212L,
                                4026532337L,
                                4026532340L,
                                4026532341L,
                                4026532342L,
                                4026532345L,
                                4026532434L,
                                4026532600L,
                                4026532601L,
                                4026532602L))
                .body("namespaces.find { it.ns == 4026532342 }.type", equalTo("pid"))
                .body("namespaces.find { it.ns == 4026532342 }.path", equalTo("/proc/5438/ns/pid"))
                .body("namespaces.find { it.ns == 4026532342 }.nprocs", equalTo(3))
                .body("namespaces.find { it.ns == 4026532342 }.pid", equalTo(5438))
                .body("namespaces.find { it.ns == 4026532342 }.ppid", equalTo(5431))
                .body("namespaces.find { it.ns == 4026532342 }.command", equalTo("init [3]  "))
                .body("namespaces.find { it.ns == 4026532342 }.netnsid", nullValue())
                .body("namespaces.find { it.ns == 4026531992 }.command", equalTo("/sbin/init splash"))
                .body("namespaces.find { it.ns == 4026531992 }.user", equalTo("root"))
                .body("snapshot.processes", equalTo(15))
                // 4300 vanished in the first scan (ScannerFixtureTest checks the count); it is in no namespace.
                .body("namespaces.pid", not(hasItems(4300)))
                .body("snapshot.unreadable", equalTo(1))
                .body("snapshot.takenAt", notNullValue());
    }

    @Test
    void namespacesWithoutProcessesShowWhatHoldsThem() {
        given().queryParam("persistent", true)
                .get("/namespaces")
                .then()
                .statusCode(200)
                .body("namespaces.ns", contains(4026532600L, 4026532601L, 4026532602L))
                .body("namespaces.nprocs", everyItem(equalTo(0)))
                .body("namespaces.pid", everyItem(nullValue()))
                .body("namespaces[0].path", equalTo("/run/netns/blue"))
                .body("namespaces[0].nsfs", equalTo("/run/netns/blue"))
                .body("namespaces[0].holders", hasSize(1))
                .body("namespaces[0].holders[0].kind", equalTo("mount"))
                .body("namespaces[0].holders[0].mountNamespace", equalTo(4026531840L))
                .body("namespaces[1].path", equalTo("/proc/4242/fd/3"))
                .body("namespaces[1].nsfs", nullValue())
                .body("namespaces[1].holders[0].kind", equalTo("fd"))
                .body("namespaces[1].holders[0].pid", equalTo(4242))
                .body("namespaces[1].holders[0].fd", equalTo(3))
                .body("namespaces[2].type", equalTo("uts"))
                .body("namespaces[2].path", equalTo("/proc/4242/task/4250/ns/uts"))
                .body("namespaces[2].looseThreads[0].tid", equalTo(4250))
                .body("namespaces[2].looseThreads[0].comm", equalTo("nsscope-probe"));
        given().queryParam("persistent", false)
                .get("/namespaces")
                .then()
                .statusCode(200)
                .body("namespaces", hasSize(15))
                .body("namespaces.nprocs", everyItem(greaterThan(0)));
        given().queryParam("persistent", "maybe")
                .get("/namespaces")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo("persistent"));
    }

    @Test
    void namespacesCarryTheirLowestProcesssContainerAndFilterByIt() {
        given().get("/namespaces")
                .then()
                .statusCode(200)
                .body("namespaces.find { it.ns == 4026532342 }.container.runtime", equalTo("containerd"))
                .body(
                        "namespaces.find { it.ns == 4026532342 }.container.podUid",
                        equalTo("6c1f4a3e-9b2d-4c7e-8f10-2a3b4c5d6e7f"))
                .body("namespaces.find { it.ns == 4026532212 }.container.runtime", equalTo("podman"))
                .body("namespaces.find { it.ns == 4026532600 }.container", nullValue());
        // the container's six namespaces of its own (its time and user namespaces are the host's, led by PID 1)
        given().queryParam("container", "3f2a9c")
                .get("/namespaces")
                .then()
                .statusCode(200)
                .body(
                        "namespaces.ns",
                        contains(4026532337L, 4026532340L, 4026532341L, 4026532342L, 4026532345L, 4026532434L));
        given().queryParam("pod", "6c1f4a3e_9b2d_4c7e_8f10_2a3b4c5d6e7f")
                .get("/namespaces")
                .then()
                .statusCode(200)
                .body("namespaces", hasSize(6));
        given().queryParam("container", "8b5e2c1d")
                .queryParam("type", "user")
                .get("/namespaces")
                .then()
                .statusCode(200)
                .body("namespaces.ns", contains(4026532212L));
        given().queryParam("container", "no/such")
                .get("/namespaces")
                .then()
                .statusCode(400)
                .body("parameter", equalTo("container"));
        given().queryParam("pod", "x").get("/namespaces").then().statusCode(400).body("parameter", equalTo("pod"));
    }

    @Test
    void filtersByTypePidAndUser() {
        given().queryParam("type", "net")
                .queryParam("type", "user")
                .get("/namespaces")
                .then()
                .statusCode(200)
                .body(
                        "namespaces.ns",
                        contains(4026531837L, 4026531992L, 4026532212L, 4026532345L, 4026532600L, 4026532601L));
        // Like lsns -p 5438: the container's namespaces, plus the host's user and time namespaces it shares.
        given().queryParam("pid", 5438)
                .get("/namespaces")
                .then()
                .statusCode(200)
                .body(
                        "namespaces.ns",
                        contains(
                                4026531834L,
                                4026531837L,
                                4026532337L,
                                4026532340L,
                                4026532341L,
                                4026532342L,
                                4026532345L,
                                4026532434L))
                .body("namespaces.find { it.ns == 4026531837 }.pid", equalTo(1));
        given().queryParam("user", "root")
                .queryParam("type", "pid")
                .get("/namespaces")
                .then()
                .statusCode(200)
                .body("namespaces.ns", contains(4026531836L, 4026532342L));
        given().queryParam("uid", 4242)
                .get("/namespaces")
                .then()
                .statusCode(200)
                .body("namespaces", empty());
    }

    @Test
    void lsnsTableAsText() {
        String text = given().accept("text/plain")
                .get("/namespaces?type=pid")
                .then()
                .statusCode(200)
                .contentType("text/plain;charset=UTF-8")
                .extract()
                .asString();
        org.assertj.core.api.Assertions.assertThat(text).isEqualTo("""
                        NS TYPE NPROCS  PID USER COMMAND
                4026531836 pid      11    1 root /sbin/init splash
                4026532342 pid       3 5438 root init [3] \s
                """);
    }

    @Test
    void oneNamespaceWithItsProcesses() {
        given().get("/namespaces/4026532212")
                .then()
                .statusCode(200)
                .body("ns", equalTo(4026532212L))
                .body("type", equalTo("user"))
                .body("nprocs", equalTo(2))
                .body("pid", equalTo(22755))
                .body("command", equalTo("csh"))
                .body("processes.pid", contains(22755, 22771))
                .body("processes.ppid", contains(101, 22755))
                .body("processes.command", contains("csh", "tcsh"));
        given().accept("text/plain")
                .get("/namespaces/4026532212")
                .then()
                .statusCode(200)
                .body(containsString("4026532212 user"), containsString("22771 22755"));
    }

    @Test
    void aProcessesTenLinksAndNspid() {
        given().get("/processes/5438/ns")
                .then()
                .statusCode(200)
                .body("pid", equalTo(5438))
                .body("nspid", contains(5438, 1))
                .body(
                        "namespaces.name",
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
                .body("namespaces.find { it.name == 'pid_for_children' }.ns", equalTo(4026532342L))
                .body(
                        "namespaces.find { it.name == 'pid_for_children' }.path",
                        equalTo("/proc/5438/ns/pid_for_children"))
                .body("namespaces.find { it.name == 'pid' }.sameAsInit", equalTo(false))
                .body("namespaces.find { it.name == 'user' }.sameAsInit", equalTo(true))
                .body("namespaces.find { it.name == 'time_for_children' }.sameAsInit", equalTo(true));
        given().get("/processes/6000/ns")
                .then()
                .statusCode(200)
                .body("namespaces.find { it.name == 'pid' }.sameAsInit", equalTo(true))
                .body("namespaces.find { it.name == 'pid_for_children' }.sameAsInit", equalTo(false));
        given().get("/processes/4400/ns")
                .then()
                .statusCode(200)
                .body("namespaces.ns", everyItem(nullValue()))
                .body("namespaces.sameAsInit", everyItem(nullValue()));
        given().accept("text/plain")
                .get("/processes/5438/ns")
                .then()
                .statusCode(200)
                .body(containsString("NSpid: 5438 1"), containsString("pid_for_children -> pid:[4026532342]"));
    }

    @Test
    void treesGroupedAsPstreeDoes() {
        given().get("/trees/pid")
                .then()
                .statusCode(200)
                .body("type", equalTo("pid"))
                .body("namespaces.ns", contains(4026531836L, 4026532342L))
                .body("namespaces[1].roots.pid", contains(5438))
                .body("namespaces[1].roots[0].children.name", contains("acpid", "agetty"));
        String text = given().accept("text/plain")
                .get("/trees/user")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        org.assertj.core.api.Assertions.assertThat(text).isEqualTo("""
                [4026531837]
                systemd(1)-+-bash(100)-+-a) b (c(4242)
                           |           |-defunct(4500)
                           |           |-unshare(6000)
                           |           `-zsh(101)
                           `-lxc-start(5431)---init(5438)-+-acpid(5742)
                                                          `-agetty(5741)
                [4026532212]
                csh(22755)---tcsh(22771)
                """);
        given().queryParam("kthreads", true)
                .get("/trees/net")
                .then()
                .statusCode(200)
                .body("namespaces[0].roots.pid", contains(1, 2));
    }

    @Test
    void conditionalRequestsAnswer304() {
        var first = given().get("/namespaces")
                .then()
                .statusCode(200)
                .header("ETag", startsWith("W/\""))
                .header("Last-Modified", notNullValue())
                .header("Vary", containsStringIgnoringCase("accept"))
                .extract();
        given().header("If-None-Match", first.header("ETag"))
                .get("/namespaces")
                .then()
                .statusCode(304);
        given().header("If-None-Match", "W/\"other\"").get("/namespaces").then().statusCode(200);
    }

    @Test
    void refreshServesANewerSnapshot() {
        long before = given().get("/namespaces").then().extract().jsonPath().getLong("snapshot.sequence");
        var fresh = given().queryParam("refresh", true)
                .get("/namespaces")
                .then()
                .statusCode(200)
                .extract();
        org.assertj.core.api.Assertions.assertThat(fresh.jsonPath().getLong("snapshot.sequence"))
                .isGreaterThan(before);
    }

    @Test
    void renderedResponsesAreReusedOnlyWhileTheirSnapshotIsCurrent() {
        String json =
                given().get("/namespaces").then().statusCode(200).extract().asString();
        String again = given().get("/namespaces")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .asString();
        org.assertj.core.api.Assertions.assertThat(again).isEqualTo(json);
        given().accept("text/plain")
                .get("/namespaces")
                .then()
                .statusCode(200)
                .contentType("text/plain;charset=UTF-8")
                .body(startsWith("        NS TYPE"));
        given().accept("text/plain")
                .get("/namespaces")
                .then()
                .statusCode(200)
                .contentType("text/plain;charset=UTF-8")
                .body(startsWith("        NS TYPE"));
        var cached = given().get("/namespaces").then().statusCode(200).extract();
        given().header("If-None-Match", cached.header("ETag"))
                .get("/namespaces")
                .then()
                .statusCode(304);
        long before = cached.jsonPath().getLong("snapshot.sequence");
        long fresh = given().queryParam("refresh", true)
                .get("/namespaces")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("snapshot.sequence");
        org.assertj.core.api.Assertions.assertThat(fresh).isGreaterThan(before);
        given().get("/namespaces")
                .then()
                .statusCode(200)
                .body("snapshot.sequence", equalTo((int) fresh))
                .header("ETag", not(equalTo(cached.header("ETag"))));
        given().header("If-None-Match", cached.header("ETag"))
                .get("/namespaces")
                .then()
                .statusCode(200);
    }
}
