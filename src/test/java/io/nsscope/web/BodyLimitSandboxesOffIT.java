package io.nsscope.web;

import static io.restassured.RestAssured.given;

import io.nsscope.testing.FixtureServer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default service (sandboxes off, no token) bounds bodies too: issue 10 found it reading a 64 MB
 * {@code POST /sandboxes} body whole, for about 465 MB of RSS, before saying sandboxes are off.
 */
class BodyLimitSandboxesOffIT extends FixtureServer {

    private static final int LIMIT = 64 * 1024;

    @Test
    void everyEndpointRefusesAnOversizedBody() throws IOException {
        for (List<String> e : BodyLimits.ENDPOINTS) {
            BodyLimits.declaredOverTheLimit(e.get(0), e.get(1), LIMIT, null);
            BodyLimits.chunkedOverTheLimit(port, e.get(0), e.get(1), LIMIT, null);
            BodyLimits.hugeDeclaredBodyIsNotAwaited(port, e.get(0), e.get(1), null);
        }
    }

    @Test
    void aBodyAtTheLimitIsRead() {
        // an empty object padded to the limit: read, then refused for the missing field
        given().contentType("application/json")
                .body(BodyLimits.json(LIMIT))
                .post("/sandboxes")
                .then()
                .statusCode(400)
                .body("parameter", org.hamcrest.Matchers.equalTo("namespaces"));
    }
}
