package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.nsscope.testing.FixtureServer;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /trees/{type}?by=parent|owner} over HTTP on the fixture procfs. Its namespace links are plain symbolic
 * links, which the nsfs ioctls cannot open: every parent and owner is unknown (null), so each namespace is a root
 * here. The nesting itself is tested on records ({@code NamespaceHierarchyTest}) and on the live kernel
 * ({@code TreesLiveIT}).
 */
class TreesFixtureIT extends FixtureServer {

    @Test
    void byParentListsThePidNamespacesAsLsnsRowsWithChildren() {
        given().queryParam("by", "parent")
                .get("/trees/pid")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("type", equalTo("pid"))
                .body("by", equalTo("parent"))
                .body("roots.ns", contains(4026531836L, 4026532342L))
                .body("roots.type", everyItem(equalTo("pid")))
                .body("roots[1].nprocs", equalTo(3))
                .body("roots[1].pid", equalTo(5438))
                .body("roots[1].command", equalTo("init [3]  "))
                .body("roots[1].path", equalTo("/proc/5438/ns/pid"))
                .body("roots[1].pns", nullValue())
                .body("roots[1].ghost", equalTo(false))
                .body("roots[1].children", org.hamcrest.Matchers.empty())
                .body("snapshot.sequence", notNullValue());
    }

    @Test
    void byParentAsTextIsAnLsnsTable() {
        String text = given().accept("text/plain")
                .queryParam("by", "parent")
                .get("/trees/user")
                .then()
                .statusCode(200)
                .contentType("text/plain;charset=UTF-8")
                .extract()
                .asString();
        assertThat(text).isEqualTo("""
                NS         TYPE NPROCS   PID USER COMMAND
                4026531837 user     12     1 root /sbin/init splash
                4026532212 user      2 22755 root csh
                """);
    }

    @Test
    void byOwnerListsTheNamespacesOfTheType() {
        given().queryParam("by", "owner")
                .get("/trees/net")
                .then()
                .statusCode(200)
                .body("type", equalTo("net"))
                .body("by", equalTo("owner"))
                .body("roots.ns", contains(4026531992L, 4026532345L, 4026532600L, 4026532601L))
                .body("roots.ons", everyItem(nullValue()));
        given().queryParam("by", "owner")
                .queryParam("lines", "unicode")
                .accept("text/plain")
                .get("/trees/net")
                .then()
                .statusCode(200)
                .body(equalTo("""
                        NS         TYPE NPROCS  PID USER NETNSID NSFS            COMMAND
                        4026531992 net      10    1 root                         /sbin/init splash
                        4026532345 net       3 5438 root                         init [3] \s
                        4026532600 net       0                   /run/netns/blue [mount /run/netns/blue]
                        4026532601 net       0                                   [fd 3 of 4242]
                        """)); // lsns 2.42's columns for net namespaces
    }

    @Test
    void processStaysTheDefault() {
        String byDefault =
                given().get("/trees/pid").then().statusCode(200).extract().asString();
        String byProcess = given().queryParam("by", "process")
                .get("/trees/pid")
                .then()
                .statusCode(200)
                .body("namespaces.ns", contains(4026531836L, 4026532342L))
                .extract()
                .asString();
        assertThat(byProcess).isEqualTo(byDefault).doesNotContain("\"by\"");
    }

    @Test
    void eachTreeIsCachedApart() {
        // ResponseCache keys on the query string: three answers of one snapshot must stay three.
        for (int round = 0; round < 2; round++) {
            given().get("/trees/user?by=parent").then().statusCode(200).body("by", equalTo("parent"));
            given().get("/trees/user?by=owner").then().statusCode(200).body("by", equalTo("owner"));
            given().get("/trees/user").then().statusCode(200).body("namespaces.ns", hasItems(4026531837L));
            given().accept("text/plain")
                    .get("/trees/user?by=parent")
                    .then()
                    .statusCode(200)
                    .body(containsString("NS         TYPE"));
        }
    }

    @Test
    void namespacesWithoutParentsAreEachARootByParentAsLsnsListsThem() {
        given().queryParam("by", "parent")
                .get("/trees/net")
                .then()
                .statusCode(200)
                .body("by", equalTo("parent"))
                .body("roots.ns", contains(4026531992L, 4026532345L, 4026532600L, 4026532601L))
                .body("roots.children.flatten()", hasSize(0));
    }

    @Test
    void anUnknownTreeListsTheValidOnes() {
        given().accept("text/plain")
                .queryParam("by", "bogus")
                .get("/trees/pid")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-parameter"))
                .body("parameter", equalTo("by"))
                .body("validValues", contains("process", "parent", "owner"));
    }

    @Test
    void openApiDescribesTheNamespaceTrees() {
        given().get("/v3/api-docs")
                .then()
                .statusCode(200)
                .body(
                        "paths.'/trees/{type}'.get.parameters.find { it.name == 'by' }.schema.enum",
                        contains("process", "parent", "owner"))
                .body("paths.'/trees/{type}'.get.parameters.find { it.name == 'by' }.description", notNullValue())
                .body(
                        "components.schemas.TreeAnswer.oneOf.'$ref'",
                        contains("#/components/schemas/TreeView", "#/components/schemas/NamespaceTreeView"))
                .body("components.schemas.NamespaceTreeView.properties.by.description", notNullValue())
                .body("components.schemas.NamespaceTreeView.properties.roots.description", notNullValue())
                .body("components.schemas.NamespaceNode.properties.children.description", notNullValue())
                .body("components.schemas.NamespaceNode.properties.ghost.description", notNullValue());
    }
}
