package io.nsscope.live;

import static io.nsscope.live.LiveSandboxes.auth;
import static io.nsscope.live.LiveSandboxes.awaitState;
import static io.nsscope.live.LiveSandboxes.body;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code /sandboxes} on this host's kernel, as root (skipped otherwise): the API around a running sandbox (its
 * token, its logs, its metrics).
 */
class SandboxApiLiveIT extends WithLiveSandboxes {

    private static double metric(String scrape, String name) {
        return scrape.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the scrape"));
    }

    @Test
    void tokensAreRequiredAndReadEndpointsStayOpen() {
        given().get("/sandboxes")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("/problems/unauthorized"));
        given().header("Authorization", "Bearer wrong-token-wrong-token-wrong-token")
                .get("/sandboxes")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"nsscope\", error=\"invalid_token\""));
        auth().get("/sandboxes").then().statusCode(200).header("Cache-Control", equalTo("no-store"));
        given().get("/namespaces").then().statusCode(200);
        given().get("/actuator/health").then().statusCode(200);
        auth().get("/sandboxes/sb-0000000000000000")
                .then()
                .statusCode(404)
                .body("type", equalTo("/problems/sandbox-not-found"));
    }

    @Test
    void logsAreTheTailOfStdoutAndStderr() {
        String id = create(body(List.of("pid"), "/bin/sh", "-c", "echo out; echo err >&2"))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        awaitState(id);
        assertThat(auth().get("/sandboxes/" + id + "/logs")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .isEqualTo("out\nerr\n");
        assertThat(auth().get("/sandboxes/" + id).<Integer>path("exitCode")).isZero();
    }

    @Test
    void metricsCountSandboxes() {
        String id = create(body(List.of("uts"), "/bin/sleep", "600"))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String scrape = given().get("/actuator/prometheus")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metric(scrape, "nsscope_sandbox_running")).isGreaterThanOrEqualTo(1);
        assertThat(metric(scrape, "nsscope_sandbox_creations_total")).isGreaterThanOrEqualTo(1);
        auth().delete("/sandboxes/" + id).then().statusCode(204);
        String after = given().get("/actuator/prometheus")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metric(after, "nsscope_sandbox_running")).isLessThan(metric(scrape, "nsscope_sandbox_running"));
    }
}
