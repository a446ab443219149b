package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

/**
 * Health details (the procfs root, the last scan, disk space) need the API token; the probes and
 * {@code /actuator/health} answer anyone, with the status only, so that kubelets and load balancers need no token.
 */
class HealthDetailsIT extends GuardedServer {

    @Test
    void probesAnswerAnyoneWithTheStatusOnly() {
        for (String path :
                new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            given().get(path)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("$", not(hasKey("components")))
                    .body("$", not(hasKey("details")));
        }
    }

    @Test
    void detailsNeedTheApiToken() {
        given().header("Authorization", "Bearer " + API_TOKEN)
                .get("/actuator/health")
                .then()
                .statusCode(200)
                .body("components.procfs.details.root", equalTo(ROOT.toString()));
        given().header("Authorization", "Bearer " + API_TOKEN)
                .get("/actuator/health/readiness")
                .then()
                .statusCode(200)
                .body("components.procfs.status", equalTo("UP"));
        // a component's own path is no probe: it needs the token
        given().get("/actuator/health/procfs").then().statusCode(401);
        given().header("Authorization", "Bearer " + API_TOKEN)
                .get("/actuator/health/procfs")
                .then()
                .statusCode(200)
                .body("details.root", equalTo(ROOT.toString()));
        // the sandbox token is not a reader's
        given().header("Authorization", "Bearer " + SANDBOX_TOKEN)
                .get("/actuator/health")
                .then()
                .statusCode(200)
                .body("components", nullValue());
    }
}
