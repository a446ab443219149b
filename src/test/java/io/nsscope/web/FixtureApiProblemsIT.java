package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.nsscope.testing.FixtureServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole service over HTTP on a random port, reading the fixture procfs: bad input and wrong methods as problems,
 * and what documents the API (the landing links, OpenAPI, Actuator).
 */
class FixtureApiProblemsIT extends FixtureServer {

    @ParameterizedTest
    @CsvSource({
        "/processes/abc/ns, 400, /problems/invalid-parameter",
        "/processes/-1/ns, 400, /problems/invalid-parameter",
        "/processes/0/ns, 400, /problems/invalid-parameter",
        "/processes/99999999999/ns, 400, /problems/invalid-parameter",
        "/processes/4300/ns, 404, /problems/process-not-found",
        "/processes/77777/ns, 404, /problems/process-not-found",
        "/trees/bogus, 400, /problems/invalid-parameter",
        "/trees/net?lines=fancy, 400, /problems/invalid-parameter",
        "/namespaces?type=bogus, 400, /problems/invalid-parameter",
        "/namespaces?pid=x, 400, /problems/invalid-parameter",
        "/namespaces?pid=77777, 404, /problems/process-not-found",
        "/namespaces?uid=-3, 400, /problems/invalid-parameter",
        "/namespaces?refresh=maybe, 400, /problems/invalid-parameter",
        "/namespaces/abc, 400, /problems/invalid-parameter",
        "/namespaces/-5, 400, /problems/invalid-parameter",
        "/namespaces/123, 404, /problems/namespace-not-found",
        "/no/such/path, 404, /problems/not-found",
    })
    void badInputGetsAProblemNeverA500(String path, int status, String type) {
        given().get(path)
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("type", equalTo(type))
                .body("title", notNullValue())
                .body("detail", notNullValue())
                .body(not(containsString("Exception")), not(containsString("at io.nsscope")));
    }

    @Test
    void invalidTypeListsTheValidOnes() {
        given().get("/trees/bogus")
                .then()
                .statusCode(400)
                .body("validValues", contains("cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"))
                .body("parameter", equalTo("type"));
    }

    @Test
    void problemsAreJsonEvenWhenTextWasAsked() {
        given().accept("text/plain")
                .get("/trees/bogus")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-parameter"));
    }

    @Test
    void wrongMethodIs405() {
        given().post("/namespaces")
                .then()
                .statusCode(405)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/method-not-allowed"));
    }

    @Test
    void problemTypesAreDocumentedAtTheirUri() {
        given().get("/problems/invalid-parameter").then().statusCode(200).body("title", equalTo("Invalid parameter"));
    }

    @Test
    void landingLinksEveryEndpoint() {
        given().get("/")
                .then()
                .statusCode(200)
                .body("links.keySet()", hasItems("namespaces", "process", "tree", "swagger-ui", "metrics"));
    }

    @Test
    void openApiDocumentsEveryEndpoint() {
        given().get("/v3/api-docs")
                .then()
                .statusCode(200)
                .body(
                        "paths.keySet()",
                        hasItems("/namespaces", "/namespaces/{ns}", "/processes/{pid}/ns", "/trees/{type}"))
                .body("components.schemas.NamespaceView.properties.ns.description", notNullValue());
        given().get("/swagger-ui.html").then().statusCode(200);
    }

    @Test
    void actuatorExposesHealthInfoMetricsAndPrometheusOnly() {
        given().get("/actuator/health")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("components.procfs.status", equalTo("UP"));
        given().get("/actuator/health/readiness").then().statusCode(200);
        given().get("/actuator/health/liveness").then().statusCode(200);
        given().get("/actuator/info")
                .then()
                .statusCode(200)
                .body("build.artifact", equalTo("nsscope"))
                .body("app.name", equalTo("nsscope"));
        given().get("/actuator/prometheus")
                .then()
                .statusCode(200)
                .body(
                        containsString("nsscope_namespaces{node=\"fixture-node\",ns_type=\"pid\"} 2.0"),
                        containsString("nsscope_processes{node=\"fixture-node\"} 15.0"));
        given().get("/actuator/env").then().statusCode(404);
        given().get("/actuator/beans").then().statusCode(404);
    }
}
