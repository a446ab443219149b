package io.nsscope.live;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What every {@code Sandbox*LiveIT} shares: nsscope with sandboxes on ({@link SandboxLiveTest}, one Spring context
 * for all), the skip when not root, and every sandbox a test made deleted after it.
 */
@SandboxLiveTest
abstract class WithLiveSandboxes {

    @LocalServerPort
    int port;

    final LiveSandboxes sandboxes = new LiveSandboxes();

    @BeforeEach
    void setUp() {
        assumeTrue(LiveHost.isRoot(), "skipped: not root: a sandbox unshares namespaces and takes a UID of the pool");
        RestAssured.port = port;
    }

    @AfterEach
    void deleteAll() {
        sandboxes.deleteAll();
    }

    Response create(Map<String, Object> body) {
        return sandboxes.create(body);
    }
}
