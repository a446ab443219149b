package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.nsscope.testing.FixtureServer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** nsscope.api.token guards every endpoint but health, cached answers too; redact-command-args keeps the executable. */
@TestPropertySource(properties = {"nsscope.api.token=" + ApiTokenIT.TOKEN, "nsscope.api.redact-command-args=true"})
class ApiTokenIT extends FixtureServer {

    static final String TOKEN = "api-token-it-0123456789abcdef-0123456789";

    @Test
    void everyEndpointButHealthNeedsTheToken() {
        for (String path : new String[] {
            "/",
            "/namespaces",
            "/trees/pid",
            "/processes/5438/ns",
            "/actuator/prometheus",
            "/v3/api-docs",
            "/problems/unauthorized",
            "/sandboxes"
        }) {
            given().get(path)
                    .then()
                    .statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("type", equalTo("/problems/unauthorized"));
            given().header("Authorization", "Bearer " + TOKEN + "x")
                    .get(path)
                    .then()
                    .statusCode(401);
        }
        given().get("/actuator/health").then().statusCode(200);
        given().get("/actuator/health/readiness").then().statusCode(200);
        given().header("Authorization", "Bearer " + TOKEN)
                .get("/namespaces")
                .then()
                .statusCode(200);
        // disabled sandboxes say so, to a client with the API token
        given().header("Authorization", "Bearer " + TOKEN)
                .get("/sandboxes")
                .then()
                .statusCode(403);
    }

    @Test
    void cachedAnswersAreGuardedToo() {
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", "Bearer " + TOKEN)
                    .get("/trees/net")
                    .then()
                    .statusCode(200);
        }
        given().get("/trees/net").then().statusCode(401);
    }

    @Test
    void commandsShowOnlyTheExecutable() {
        given().header("Authorization", "Bearer " + TOKEN)
                .get("/namespaces")
                .then()
                .statusCode(200)
                .body("namespaces.find { it.ns == 4026531992 }.command", equalTo("/sbin/init"))
                .body("namespaces.find { it.ns == 4026532342 }.command", equalTo("init"));
        given().header("Authorization", "Bearer " + TOKEN)
                .get("/namespaces/4026531992")
                .then()
                .statusCode(200)
                .body("processes.command.findAll { it.contains(' ') }", equalTo(java.util.List.of()));
        given().header("Authorization", "Bearer " + TOKEN)
                .get("/processes/5438/ns")
                .then()
                .statusCode(200)
                .body("command", equalTo("init"));
        given().header("Authorization", "Bearer " + TOKEN)
                .accept("text/plain")
                .get("/namespaces")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("splash")));
    }
}
