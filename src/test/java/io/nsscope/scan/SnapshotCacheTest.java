package io.nsscope.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nsscope.procfs.Passwd;
import io.nsscope.testing.FaultyProcFs;
import io.nsscope.testing.FixtureProcFs;
import io.nsscope.testing.Fixtures;
import io.nsscope.testing.Fixtures.Scenario;
import io.nsscope.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.FileSystemUtils;

class SnapshotCacheTest {

    @TempDir
    Path tmp;

    private SnapshotCache cache;

    private SnapshotCache cache(Path root, Duration minInterval) {
        Scanner scanner = new Scanner(new FixtureProcFs(root), () -> Passwd.EMPTY, 1, Clock.systemUTC());
        // A background interval far longer than any test: only forced scans run after the first.
        cache = new SnapshotCache(
                scanner, Duration.ofHours(1), minInterval, Duration.ofSeconds(30), 5, Clock.systemUTC());
        return cache;
    }

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
    }

    @Test
    void startsWithASnapshot() {
        SnapshotCache cache = cache(Fixtures.copyProc(tmp), Duration.ZERO);
        assertThat(cache.current()).isEmpty();
        cache.start();
        assertThat(cache.current())
                .get()
                .extracting(s -> s.counts().processes())
                .isEqualTo(Fixtures.pids(Scenario.values()).size());
        assertThat(cache.scans()).isEqualTo(1);
    }

    @Test
    void stopsAndStartsAgainAsALifecycleMay() {
        SnapshotCache cache = cache(Fixtures.copyProc(tmp), Duration.ZERO);
        cache.start();
        cache.start();
        assertThat(cache.scans()).isEqualTo(1);
        cache.stop();
        cache.stop();
        Snapshot kept = cache.current().orElseThrow();
        assertThat(cache.current()).containsSame(kept);
        cache.start();
        assertThat(cache.scans()).isEqualTo(2);
        assertThat(cache.current().orElseThrow().sequence()).isGreaterThan(kept.sequence());
        assertThat(cache.fresh().sequence()).isEqualTo(3);
    }

    @Test
    void aFreshSnapshotIsTakenAfterTheRequest() {
        SnapshotCache cache = cache(Fixtures.copyProc(tmp), Duration.ZERO);
        cache.start();
        Snapshot before = cache.current().orElseThrow();
        Snapshot fresh = cache.fresh();
        assertThat(fresh.sequence()).isGreaterThan(before.sequence());
        assertThat(cache.current()).containsSame(fresh);
    }

    @Test
    void concurrentCallersShareOneScan() throws Exception {
        // A long minimum interval: every caller arriving while the forced scan waits to start joins it.
        SnapshotCache cache = cache(Fixtures.copyProc(tmp), Duration.ofMillis(300));
        cache.start();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Snapshot>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(cache::fresh);
            }
            List<Long> sequences = new ArrayList<>();
            for (Future<Snapshot> f : callers.invokeAll(calls)) {
                sequences.add(f.get().sequence());
            }
            assertThat(sequences).allMatch(s -> s > 1);
            // 16 callers, one initial scan: at most two forced scans (callers that came after the first started).
            assertThat(cache.scans()).isLessThanOrEqualTo(3);
            assertThat(sequences.stream().distinct().count()).isLessThanOrEqualTo(2);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aFailedScanKeepsThePreviousSnapshotAndSaysWhy() throws Exception {
        Path root = Fixtures.copyProc(tmp.resolve("proc"));
        SnapshotCache cache = cache(root, Duration.ZERO);
        cache.start();
        Snapshot before = cache.current().orElseThrow();
        FileSystemUtils.deleteRecursively(root);
        assertThat(Files.exists(root)).isFalse();
        assertThatThrownBy(cache::fresh)
                .isInstanceOf(FreshSnapshotUnavailableException.class)
                .hasMessageContaining("scan failed");
        assertThat(cache.current()).containsSame(before);
        assertThat(cache.failedScans()).isEqualTo(1);
        assertThat(cache.lastFailure()).isPresent();
    }

    @Test
    void anErrorInAScanIsCountedByKindAndTheNextScanStillRuns() {
        FaultyProcFs procFs = new FaultyProcFs(Fixtures.copyProc(tmp));
        Scanner scanner = new Scanner(procFs, () -> Passwd.EMPTY, 1, Clock.systemUTC());
        cache = new SnapshotCache(
                scanner, Duration.ofMillis(20), Duration.ZERO, Duration.ofSeconds(30), 5, Clock.systemUTC());
        cache.start();
        Snapshot before = cache.current().orElseThrow();
        procFs.fault(new UnsatisfiedLinkError("no libc.so.6 for this test"));
        await().atMost(Duration.ofSeconds(30)).until(() -> cache.failedScans(ScanFailureKind.ERROR) >= 2);
        assertThat(cache.lastFailure())
                .get()
                .extracting(SnapshotCache.ScanFailure::kind)
                .isEqualTo(ScanFailureKind.ERROR);
        assertThat(cache.current()).containsSame(before);
        procFs.fault(new IllegalStateException("a bug, for this test"));
        await().atMost(Duration.ofSeconds(30)).until(() -> cache.failedScans(ScanFailureKind.BUG) >= 1);
        procFs.fault(null);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cache.current().orElseThrow() != before
                        && cache.lastFailure().isEmpty());
        assertThat(cache.failedScans(ScanFailureKind.PROCFS)).isZero();
        assertThat(cache.failedScans())
                .isEqualTo(cache.failedScans(ScanFailureKind.ERROR) + cache.failedScans(ScanFailureKind.BUG));
    }

    @Test
    void aSnapshotOlderThanTheConfiguredIntervalsIsStaleAndReadinessIsDownUntilAScanSucceeds() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-29T01:00:00Z"));
        Path root = Fixtures.copyProc(tmp);
        Scanner scanner = new Scanner(new FixtureProcFs(root), () -> Passwd.EMPTY, 1, clock);
        cache = new SnapshotCache(scanner, Duration.ofHours(1), Duration.ZERO, Duration.ofSeconds(30), 3, clock);
        ProcfsHealthIndicator health = new ProcfsHealthIndicator(cache, scanner);
        assertThat(cache.stale()).isTrue(); // no snapshot yet
        cache.start();
        assertThat(cache.staleAfter()).isEqualTo(Duration.ofHours(3));
        assertThat(cache.stale()).isFalse();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        clock.advance(Duration.ofHours(3)); // exactly three intervals old: not yet stale
        assertThat(cache.stale()).isFalse();
        clock.advance(Duration.ofMillis(1)); // the scan thread is stuck, say: nothing failed, nothing landed
        assertThat(cache.stale()).isTrue();
        assertThat(cache.lastFailure()).isEmpty();
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails().get("reason")).asString().contains("stale");
        cache.fresh();
        assertThat(cache.stale()).isFalse();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void withoutAProcfsThereIsNoSnapshotButNoCrash() {
        SnapshotCache cache = cache(tmp.resolve("missing"), Duration.ZERO);
        cache.start();
        assertThat(cache.current()).isEmpty();
        assertThat(cache.lastFailure())
                .get()
                .extracting(SnapshotCache.ScanFailure::reason)
                .asString()
                .contains("missing");
    }
}
