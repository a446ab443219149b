package io.nsscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.procfs.Passwd;
import io.nsscope.scan.Scanner;
import io.nsscope.scan.SnapshotCache;
import io.nsscope.testing.FixtureProcFs;
import io.nsscope.testing.Fixtures;
import io.nsscope.testing.Fixtures.Scenario;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

class PerNamespaceGaugesTest {

    @TempDir
    Path tmp;

    @Test
    void oneSeriesPerLiveNamespaceAndNoneLeftWhenItGoes() {
        Path root = Fixtures.copy(tmp, Scenario.CONTAINERS);
        List<Integer> pod = List.of(5438, 5741, 5742); // in namespaces of their own, all but user and time
        Scanner scanner = new Scanner(new FixtureProcFs(root), () -> Passwd.EMPTY, 1, Clock.systemUTC());
        try (SnapshotCache cache = new SnapshotCache(
                scanner, Duration.ofHours(1), Duration.ZERO, Duration.ofSeconds(10), 5, Clock.systemUTC())) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            PerNamespaceGauges gauges = new PerNamespaceGauges(registry, cache);
            cache.start();
            gauges.update(cache.current().orElseThrow());
            assertThat(gauges.size())
                    .isEqualTo(cache.current().orElseThrow().namespaces().size())
                    .isGreaterThan(NamespaceType.values().length);
            Gauge containerPid = registry.get("nsscope.namespace.processes")
                    .tags("ns", "4026532342")
                    .gauge();
            assertThat(containerPid.getId().getTag("ns_type")).isEqualTo("pid");
            assertThat(containerPid.value()).isEqualTo(pod.size());

            // The container exits: its six namespaces go, and so do their series.
            for (int pid : pod) {
                FileSystemUtils.deleteRecursively(
                        root.resolve(Integer.toString(pid)).toFile());
            }
            gauges.update(cache.fresh());
            // Only the host's namespaces are left, one of each type.
            assertThat(gauges.size()).isEqualTo(NamespaceType.values().length);
            assertThat(registry.find("nsscope.namespace.processes")
                            .tags("ns", "4026532342")
                            .gauge())
                    .isNull();
            assertThat(registry.find("nsscope.namespace.processes").gauges()).hasSize(NamespaceType.values().length);
            // The host's network namespace: the host's processes and the container runtime.
            assertThat(registry.get("nsscope.namespace.processes")
                            .tags("ns", "4026531992")
                            .gauge()
                            .value())
                    .isEqualTo(Fixtures.pids(Scenario.CONTAINERS).size() - pod.size());
        }
    }
}
