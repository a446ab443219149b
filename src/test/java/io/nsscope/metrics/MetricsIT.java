package io.nsscope.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.testing.FixtureServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** nsscope's metrics on the fixture procfs: names, types, help, labels and values, and a valid exposition. */
class MetricsIT extends FixtureServer {

    private Map<String, PrometheusText.Family> families;

    @BeforeEach
    void scrape() {
        // A scan after the first one, so that the values do not depend on which test ran first.
        given().queryParam("refresh", true).get("/namespaces").then().statusCode(200);
        String text = given().get("/actuator/prometheus")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        families = PrometheusText.parse(text);
    }

    private PrometheusText.Family family(String name, String type) {
        PrometheusText.Family family = families.get(name);
        assertThat(family).as(name).isNotNull();
        assertThat(family.type()).as(name + " type").isEqualTo(type);
        assertThat(family.help()).as(name + " help").isNotBlank();
        return family;
    }

    private double value(String name, String type, Map<String, String> labels) {
        String familyName = name.endsWith("_count") && type.equals("histogram")
                ? name.substring(0, name.length() - "_count".length())
                : name;
        return family(familyName, type).samples().stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(PrometheusText.Sample::value)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels));
    }

    @Test
    void namespacesPerType() {
        Map<String, Double> expected = Map.of(
                "cgroup", 2.0, "ipc", 2.0, "mnt", 2.0, "net", 4.0, "pid", 2.0, "time", 1.0, "user", 2.0, "uts",
                3.0); // net: + a bind-mounted one and an fd-held one; uts: + a thread's
        expected.forEach((type, count) -> assertThat(value("nsscope_namespaces", "gauge", Map.of("ns_type", type)))
                .as(type)
                .isEqualTo(count));
        Map<String, Double> withoutProcesses = Map.of(
                "cgroup", 0.0, "ipc", 0.0, "mnt", 0.0, "net", 2.0, "pid", 0.0, "time", 0.0, "user", 0.0, "uts", 1.0);
        withoutProcesses.forEach((type, count) -> assertThat(
                        value("nsscope_namespaces_without_processes", "gauge", Map.of("ns_type", type)))
                .as(type)
                .isEqualTo(count));
    }

    @Test
    void whatTheLastScanRead() {
        assertThat(value("nsscope_processes", "gauge", Map.of())).isEqualTo(15.0);
        assertThat(value("nsscope_threads", "gauge", Map.of())).isEqualTo(18.0);
        assertThat(value("nsscope_processes_unreadable", "gauge", Map.of())).isEqualTo(1.0);
        assertThat(value("nsscope_processes_vanished", "gauge", Map.of())).isEqualTo(0.0);
        assertThat(value("nsscope_snapshot_timestamp_seconds", "gauge", Map.of()))
                .isBetween(System.currentTimeMillis() / 1000.0 - 600, System.currentTimeMillis() / 1000.0 + 1);
    }

    @Test
    void scansAndTheirDuration() {
        double scans = value("nsscope_scans_total", "counter", Map.of());
        assertThat(scans).isGreaterThanOrEqualTo(2.0);
        for (String reason : List.of("procfs", "bug", "error")) {
            assertThat(value("nsscope_scans_failed_total", "counter", Map.of("reason", reason)))
                    .as(reason)
                    .isEqualTo(0.0);
        }
        assertThat(value("nsscope_snapshot_stale", "gauge", Map.of())).isEqualTo(0.0);
        // every scan that ran to its end is timed; an abandoned one is not (none is here: nothing asks for refresh)
        double abandoned = value("nsscope_scans_abandoned_total", "counter", Map.of());
        assertThat(abandoned).isZero();
        assertThat(value("nsscope_scan_duration_seconds_count", "histogram", Map.of()))
                .isEqualTo(scans - abandoned);
        List<Double> buckets = family("nsscope_scan_duration_seconds", "histogram").samples().stream()
                .filter(s -> s.name().endsWith("_bucket"))
                .map(s -> Double.parseDouble(s.labels().get("le").replace("+Inf", "Infinity")))
                .toList();
        assertThat(buckets).contains(Double.POSITIVE_INFINITY);
        assertThat(buckets.stream()
                        .filter(le -> le < Double.POSITIVE_INFINITY)
                        .min(Double::compare)
                        .orElseThrow())
                .isLessThanOrEqualTo(0.001);
        assertThat(buckets.stream()
                        .filter(le -> le < Double.POSITIVE_INFINITY)
                        .max(Double::compare)
                        .orElseThrow())
                .isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void createdAndDestroyedCountersPerType() {
        for (String type : List.of("cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts")) {
            // The fixture does not change between scans: nothing is created or destroyed after the first.
            assertThat(value("nsscope_namespace_creations_total", "counter", Map.of("ns_type", type)))
                    .isEqualTo(0.0);
            assertThat(value("nsscope_namespace_destructions_total", "counter", Map.of("ns_type", type)))
                    .isEqualTo(0.0);
        }
    }

    @Test
    void buildInfoAndNodeTag() {
        PrometheusText.Sample info =
                family("nsscope_build_info", "gauge").samples().get(0);
        assertThat(info.value()).isEqualTo(1.0);
        assertThat(info.labels())
                .containsKeys("version", "java_version", "spring_boot_version")
                .containsEntry("node", "fixture-node");
        assertThat(families.get("jvm_memory_used_bytes")).isNotNull();
        assertThat(families.get("jvm_memory_used_bytes").samples())
                .allMatch(s -> "fixture-node".equals(s.labels().get("node")));
    }

    private double requests(String uri) {
        PrometheusText.Family family = families.get("http_server_requests_seconds");
        return family == null
                ? 0
                : family.samples().stream()
                        .filter(s -> s.name().equals("http_server_requests_seconds_count")
                                && uri.equals(s.labels().get("uri")))
                        .mapToDouble(PrometheusText.Sample::value)
                        .sum();
    }

    @Test
    void cachedAnswersAreCountedUnderTheirRoute() {
        double before = requests("/trees/{type}");
        double unknownBefore = requests("UNKNOWN");
        for (int i = 0; i < 3; i++) {
            given().get("/trees/uts").then().statusCode(200);
        }
        scrape();
        assertThat(requests("/trees/{type}")).isEqualTo(before + 3);
        assertThat(requests("UNKNOWN")).isEqualTo(unknownBefore);
    }

    @Test
    void namingFollowsPrometheusGuidelines() {
        List<PrometheusText.Family> ours = families.values().stream()
                .filter(f -> f.name().startsWith("nsscope_"))
                .toList();
        assertThat(ours).hasSizeGreaterThanOrEqualTo(12);
        for (PrometheusText.Family f : ours) {
            assertThat(f.samples()).as(f.name()).allMatch(s -> !s.labels().containsKey("type"));
            if (f.type().equals("counter")) {
                assertThat(f.name()).endsWith("_total");
            }
        }
        assertThat(families).doesNotContainKey("nsscope_namespace_processes");
    }
}
