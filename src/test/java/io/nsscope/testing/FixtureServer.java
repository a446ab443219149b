package io.nsscope.testing;

import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port, reading a copy of the fixture procfs through {@link FixtureProcFs} (PID 4300
 * vanishes during the first scan). Subclasses share one application context. Background scans are an hour apart,
 * so only {@code ?refresh=true} changes the snapshot.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"nsscope.scan.interval=1h", "nsscope.node-name=fixture-node"})
@Import(FixtureKernel.class)
public abstract class FixtureServer {

    public static final Path ROOT;

    static {
        try {
            ROOT = Fixtures.copyProc(Files.createTempDirectory("nsscope-fixture-api"));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nsscope.procfs.root", ROOT::toString);
        registry.add(
                "nsscope.procfs.passwd", () -> Fixtures.PASSWD.toAbsolutePath().toString());
    }

    @LocalServerPort
    protected int port;

    @BeforeEach
    void restAssuredPort() {
        RestAssured.port = port;
    }
}
