package io.nsscope.scan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code procfs} health contributor (in the readiness group): DOWN, with the reason, when the procfs root is
 * missing or unreadable, when no scan has succeeded yet, when the last scan failed, or when the snapshot is stale (no
 * scan has succeeded for {@code nsscope.scan.stale-after-intervals} intervals); UP again with the next successful
 * scan. It reads only the root's attributes and the cache's state, never the process entries.
 */
@Component("procfs")
class ProcfsHealthIndicator implements HealthIndicator {

    private final SnapshotCache cache;
    private final Path root;

    ProcfsHealthIndicator(SnapshotCache cache, Scanner scanner) {
        this.cache = cache;
        this.root = scanner.procFs().root();
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("root", root.toString());
        if (!Files.isDirectory(root)) {
            return health.down()
                    .withDetail("reason", "the procfs root does not exist or is not a directory")
                    .build();
        }
        if (!Files.isReadable(root)) {
            return health.down()
                    .withDetail("reason", "the procfs root is not readable")
                    .build();
        }
        cache.current()
                .ifPresentOrElse(
                        snapshot -> health.withDetail(
                                        "snapshotTakenAt", snapshot.takenAt().toString())
                                .withDetail(
                                        "snapshotAgeMs",
                                        Duration.between(
                                                        snapshot.takenAt(),
                                                        cache.clock().instant())
                                                .toMillis())
                                .withDetail("processes", snapshot.counts().processes())
                                .withDetail("namespaces", snapshot.namespaces().size()),
                        () -> health.down().withDetail("reason", "no scan has succeeded yet"));
        if (cache.current().isPresent() && cache.stale()) {
            health.down()
                    .withDetail(
                            "reason",
                            "the snapshot is stale: no scan has succeeded for "
                                    + cache.staleAfter().toMillis() + " ms");
        }
        cache.lastFailure()
                .ifPresent(failure -> health.down()
                        .withDetail("reason", "the last scan failed: " + failure.reason())
                        .withDetail("failedAt", failure.at().toString()));
        return health.build();
    }
}
