package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.nsscope.testing.FixtureServer;
import org.junit.jupiter.api.Test;

/**
 * The {@code details} of {@code GET /namespaces/{ns}} over HTTP on the fixture procfs, with the real kernel access: the
 * fixture's namespace files are not on nsfs, so whatever needs them (entering the namespace, the owner ioctl) is
 * reported as unreadable in the body, while what per-process files give is there.
 */
class DetailsApiIT extends FixtureServer {

    @Test
    void userNamespaceMapsWithAnUnreadableOwner() {
        given().get("/namespaces/4026532212")
                .then()
                .statusCode(200)
                .body("details.via", equalTo(22755))
                .body("details.user.uid_map.inside", contains(0, 1))
                .body("details.user.uid_map.outside", contains(1000, 100000))
                .body("details.user.uid_map.count", contains(1, 65536))
                .body("details.user.gid_map", hasSize(1))
                .body("details.user.setgroups", equalTo("deny"))
                .body("details.user.ownerUid", nullValue())
                .body("details.user.error.reason", equalTo("not-available"))
                .body("details.user.error.syscall", equalTo("open"))
                .body("details.user.error.errno", equalTo("ENOENT"))
                .body("details", not(hasKey("pid")))
                .body("details", not(hasKey("uts")));
    }

    @Test
    void pidNamespaceMap() {
        given().get("/namespaces/4026532342")
                .then()
                .statusCode(200)
                .body("details.via", equalTo(5438))
                .body("details.pid.level", equalTo(1))
                .body("details.pid.init", equalTo(5438))
                .body("details.pid.pidMap.pid", contains(5438, 5741, 5742))
                .body("details.pid.pidMap[0].nspid", contains(5438, 1))
                .body("details.pid.pidMap[2].nspid", contains(5742, 292))
                .body("details.pid.error", nullValue());
        given().accept("text/plain")
                .get("/namespaces/4026532342")
                .then()
                .statusCode(200)
                .body(containsString("level: 1\ninit: 5438\npid map (host ... inside): 5438:1 5741:291 5742:292\n"));
    }

    @Test
    void mountAndTimeNamespacesFromPerProcessFiles() {
        given().get("/namespaces/4026532337")
                .then()
                .statusCode(200)
                .body("details.mnt.mounts", equalTo(5))
                .body("details.mnt.root.fsType", equalTo("ext4"))
                .body("details.mnt.root.propagation", equalTo("private,slave"))
                .body("details.mnt.error", nullValue());
        given().get("/namespaces/4026531834")
                .then()
                .statusCode(200)
                .body("details.via", equalTo(1))
                .body("details.time.monotonic.seconds", equalTo(0))
                .body("details.time.boottime.nanoseconds", equalTo(0));
    }

    @Test
    void anUnreadableDetailIsReportedInTheBodyNotAsAnError() {
        for (long ns : new long[] {4026532340L, 4026532345L, 4026532341L, 4026532434L}) {
            given().get("/namespaces/" + ns)
                    .then()
                    .statusCode(200)
                    .body("details.via", equalTo(5438))
                    .body("details.find { it.key != 'via' }.value.error.reason", equalTo("not-available"));
        }
        given().get("/namespaces/4026532340").then().body("details.uts.hostname", nullValue());
        given().accept("text/plain")
                .get("/namespaces/4026532340")
                .then()
                .statusCode(200)
                .body(containsString("details unreadable: not-available: open failed: ENOENT"));
    }

    @Test
    void theOpenApiDocumentDescribesTheDetails() {
        given().get("/v3/api-docs")
                .then()
                .statusCode(200)
                .body("components.schemas.NamespaceDetail.properties.details.description", notNullValue())
                .body(
                        "components.schemas.NamespaceDetails.properties.keySet()",
                        contains("via", "user", "pid", "uts", "net", "mnt", "time", "cgroup", "ipc"))
                .body(
                        "components.schemas.UserDetails.properties.keySet()",
                        contains("uid_map", "gid_map", "setgroups", "ownerUid", "owner", "error"))
                .body("components.schemas.UtsDetails.properties.hostname.description", notNullValue())
                // a nullable value's allowed values include null (procfs gives no state)
                .body("components.schemas.NetInterface.properties.state.enum", hasSize(8))
                .body("components.schemas.NetInterface.properties.state.enum", hasItem(nullValue()))
                .body(
                        "components.schemas.NetDetails.properties.keySet()",
                        contains("source", "interfaces", "addressesWithoutInterface", "error"))
                // A nullable object is "that object or null", not "null and that object".
                .body(
                        "components.schemas.UtsDetails.properties.error.anyOf.$ref",
                        contains("#/components/schemas/DetailError", null))
                .body("components.schemas.UtsDetails.properties.error.anyOf[1].type", equalTo("null"))
                .body("components.schemas.DetailError.properties.reason.enum", hasSize(6))
                .body(
                        "components.schemas.DetailError.properties.keySet()",
                        contains("reason", "message", "syscall", "errno", "capability", "chartValue"));
    }
}
