package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.nsscope.testing.FixtureServer;
import org.junit.jupiter.api.Test;

/** The default: sandboxes are off, every /sandboxes request says so (with or without a token), and nothing else asks for one. */
class SandboxesDisabledIT extends FixtureServer {

    @Test
    void everySandboxEndpointAnswersDisabledAndHowToEnable() {
        given().contentType("application/json")
                .body("{\"namespaces\":[\"pid\"],\"command\":[\"/bin/true\"]}")
                .post("/sandboxes")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/sandboxes-disabled"))
                .body("detail", containsString("nsscope.sandbox.enabled=true"));
        given().get("/sandboxes").then().statusCode(403).body("type", equalTo("/problems/sandboxes-disabled"));
        given().header("Authorization", "Bearer whatever")
                .get("/sandboxes/sb-0123456789abcdef")
                .then()
                .statusCode(403);
        given().delete("/sandboxes/sb-0123456789abcdef").then().statusCode(403);
        given().get("/sandboxes/sb-0123456789abcdef/logs").then().statusCode(403);
    }

    @Test
    void readEndpointsNeedNoToken() {
        given().get("/namespaces").then().statusCode(200);
        given().get("/actuator/prometheus").then().statusCode(200);
    }

    @Test
    void theNewProblemTypesAreDocumentedAtTheirUris() {
        for (String slug : new String[] {
            "sandboxes-disabled",
            "unauthorized",
            "sandbox-not-found",
            "sandbox-limit",
            "executable-not-allowed",
            "uid-range-in-use",
            "syscall-failed",
            "sandbox-start-failed",
            "payload-too-large",
            "request-rejected"
        }) {
            given().get("/problems/" + slug).then().statusCode(200).body("type", equalTo("/problems/" + slug));
        }
    }
}
