package io.nsscope.web;

import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The service with {@code /sandboxes} enabled and its token set, the API token unset (reads open, the default), and
 * a 4 KB body limit: the set-up of the token bypass found in issue 10. Subclasses share one application context.
 * Nothing here starts a process: every request is refused before.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "nsscope.sandbox.enabled=true", "nsscope.sandbox.token=" + SandboxServer.TOKEN,
            "nsscope.sandbox.max-concurrent=64", "nsscope.sandbox.creations-per-minute=100000",
            "nsscope.sandbox.uid-pool=300000-300999", "nsscope.api.max-body-size=4KB",
            "nsscope.sandbox.max-ttl=1h", "nsscope.scan.interval=1h",
            "nsscope.sandbox.allowed-executables=/bin/*,/usr/bin/*", "nsscope.sandbox.required-namespaces="
        })
abstract class SandboxServer {

    static final String TOKEN = "sandbox-api-it-token-0123456789abcdef";
    static final int LIMIT = 4096;

    @LocalServerPort
    int port;

    @BeforeEach
    void port() {
        RestAssured.port = port;
    }
}
