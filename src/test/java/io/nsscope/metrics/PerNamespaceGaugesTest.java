package io.nsscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nsscope.procfs.Passwd;
import io.nsscope.scan.Scanner;
import io.nsscope.scan.SnapshotCache;
import io.nsscope.testing.FixtureProcFs;
import io.nsscope.testing.Fixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

class PerNamespaceGaugesTest {

    @TempDir
    Path tmp;

    @Test
    void oneSeriesPerLiveNamespaceAndNoneLeftWhenItGoes() {
        Path root = Fixtures.copyProc(tmp);
        Scanner scanner = new Scanner(new FixtureProcFs(root), () -> Passwd.EMPTY, 1, Clock.systemUTC());
        try (SnapshotCache cache = new SnapshotCache(scanner, Duration.ofHours(1), Duration.ZERO,
                Duration.ofSeconds(10), 5, Clock.systemUTC())) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            PerNamespaceGauges gauges = new PerNamespaceGauges(registry, cache);
            cache.start();
            gauges.update(cache.current().orElseThrow());
            assertThat(gauges.size()).isEqualTo(18); // 15 with processes, 2 held by a mount or an fd, 1 by a thread
            Gauge containerPid = registry.get("nsscope.namespace.processes").tags("ns", "4026532342").gauge();
            assertThat(containerPid.getId().getTag("ns_type")).isEqualTo("pid");
            assertThat(containerPid.value()).isEqualTo(3.0);

            // The container exits: its six namespaces go, and so do their series.
            for (int pid : new int[] {5438, 5741, 5742}) {
                FileSystemUtils.deleteRecursively(root.resolve(Integer.toString(pid)).toFile());
            }
            gauges.update(cache.fresh());
            assertThat(gauges.size()).isEqualTo(12);
            assertThat(registry.find("nsscope.namespace.processes").tags("ns", "4026532342").gauge()).isNull();
            assertThat(registry.find("nsscope.namespace.processes").gauges()).hasSize(12);
            // The host's network namespace: ten fixture processes plus 4300, which does not vanish here.
            assertThat(registry.get("nsscope.namespace.processes").tags("ns", "4026531992").gauge().value())
                    .isEqualTo(11.0);
        }
    }
}
