package io.nsscope.web;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With sandboxes enabled, bodies are bounded before the token is even looked at, under every spelling. */
class BodyLimitSandboxesOnIT extends SandboxServer {

    @Test
    void everyEndpointRefusesAnOversizedBodyWithOrWithoutToken() throws IOException {
        for (String token : new String[] {null, TOKEN}) {
            for (List<String> e : BodyLimits.ENDPOINTS) {
                BodyLimits.declaredOverTheLimit(e.get(0), e.get(1), LIMIT, token);
                BodyLimits.chunkedOverTheLimit(port, e.get(0), e.get(1), LIMIT, token);
                BodyLimits.hugeDeclaredBodyIsNotAwaited(port, e.get(0), e.get(1), token);
            }
        }
    }

    @Test
    void aBodyAtTheLimitIsRead() {
        // an empty object padded to the limit: read, then refused for the missing field
        given().header("Authorization", "Bearer " + TOKEN)
                .contentType("application/json")
                .body(BodyLimits.json(LIMIT))
                .post("/sandboxes")
                .then()
                .statusCode(400)
                .body("parameter", org.hamcrest.Matchers.equalTo("namespaces"));
    }
}
