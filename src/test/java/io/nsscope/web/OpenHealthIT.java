package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.nsscope.testing.FixtureServer;
import org.junit.jupiter.api.Test;

/** Without an API token everyone is a reader, so health details stay visible to all, as every read is. */
class OpenHealthIT extends FixtureServer {

    @Test
    void detailsAreOpenWhenReadsAre() {
        given().get("/actuator/health")
                .then()
                .statusCode(200)
                .body("components.procfs.details.root", equalTo(ROOT.toString()));
    }

    @Test
    void swaggerUiAndTheApiDescriptionAreServed() {
        given().redirects().follow(true).get("/swagger-ui.html").then().statusCode(200);
        given().get("/swagger-ui/index.html").then().statusCode(200);
        given().get("/v3/api-docs").then().statusCode(200).body("openapi", org.hamcrest.Matchers.startsWith("3."));
    }
}
