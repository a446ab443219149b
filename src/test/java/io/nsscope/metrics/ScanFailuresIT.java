package io.nsscope.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nsscope.procfs.ProcFs;
import io.nsscope.testing.FaultyProcFs;
import io.nsscope.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Scanning survives anything, as deployed: the service scans every 100 ms; scans then throw a JVM {@link Error} (as
 * JNA's {@code UnsatisfiedLinkError} would). Each failure is counted under {@code reason="error"}, readiness goes
 * DOWN and {@code nsscope_snapshot_stale} goes to 1 once no scan has succeeded for three intervals, and when scans
 * succeed again (the scheduled task lived on) readiness is UP and the stale gauge 0.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "nsscope.scan.interval=100ms",
            "nsscope.scan.stale-after-intervals=3",
            "nsscope.scan.refresh-min-interval=0s"
        })
class ScanFailuresIT {

    static final Path ROOT;

    static {
        try {
            ROOT = Fixtures.copyProc(Files.createTempDirectory("nsscope-scan-failures"));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The fixture procfs, made to fail on demand. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Faulty {

        @Bean
        @Primary
        ProcFs faultyProcFs() {
            return new FaultyProcFs(ROOT);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nsscope.procfs.root", ROOT::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    ProcFs procFs;

    @AfterEach
    void heal() {
        ((FaultyProcFs) procFs).fault(null);
    }

    private Map<String, PrometheusText.Family> scrape() {
        return PrometheusText.parse(given().port(port)
                .get("/actuator/prometheus")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    private static double value(
            Map<String, PrometheusText.Family> families, String family, String sample, Map<String, String> labels) {
        return families.get(family).samples().stream()
                .filter(s -> s.name().equals(sample) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(PrometheusText.Sample::value)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + sample + labels));
    }

    private int readiness() {
        return given().port(port)
                .get("/actuator/health/readiness")
                .then()
                .extract()
                .statusCode();
    }

    @Test
    void anErrorInEveryScanIsCountedMakesReadinessDownAndTheSnapshotStaleUntilScansSucceedAgain() {
        await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 200);
        assertThat(value(scrape(), "nsscope_snapshot_stale", "nsscope_snapshot_stale", Map.of()))
                .isZero();

        ((FaultyProcFs) procFs).fault(new UnsatisfiedLinkError("libc.so.6: made up by the test"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> readiness() == 503
                        && value(scrape(), "nsscope_snapshot_stale", "nsscope_snapshot_stale", Map.of()) == 1.0);
        Map<String, PrometheusText.Family> failing = scrape();
        double errors =
                value(failing, "nsscope_scans_failed_total", "nsscope_scans_failed_total", Map.of("reason", "error"));
        assertThat(errors).isGreaterThanOrEqualTo(3.0); // three intervals without a successful scan
        assertThat(value(
                        failing,
                        "nsscope_scans_failed_total",
                        "nsscope_scans_failed_total",
                        Map.of("reason", "procfs")))
                .isZero();
        assertThat(given().port(port)
                        .get("/actuator/health/readiness")
                        .then()
                        .extract()
                        .jsonPath()
                        .getString("components.procfs.details.reason"))
                .contains("UnsatisfiedLinkError");
        double scansWhileFailing = value(failing, "nsscope_scans_total", "nsscope_scans_total", Map.of());

        ((FaultyProcFs) procFs).fault(null);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> readiness() == 200
                        && value(scrape(), "nsscope_snapshot_stale", "nsscope_snapshot_stale", Map.of()) == 0.0);
        Map<String, PrometheusText.Family> healed = scrape();
        assertThat(value(healed, "nsscope_scans_total", "nsscope_scans_total", Map.of()))
                .isGreaterThan(scansWhileFailing);
        assertThat(value(healed, "nsscope_snapshot_age_seconds", "nsscope_snapshot_age_seconds", Map.of()))
                .isGreaterThanOrEqualTo(0.0);
        given().port(port).get("/namespaces").then().statusCode(200);
    }
}
