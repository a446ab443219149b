package io.nsscope.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nsscope.procfs.Passwd;
import io.nsscope.testing.FixtureProcFs;
import io.nsscope.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code ?refresh=true} that arrives while a background scan reads the processes pays for one scan, not for the
 * rest of that one and then its own: the background scan is abandoned, reads nothing more, and changes nothing the
 * next scan starts from. A scan that serves callers is never abandoned.
 */
class AbandonedScanTest {

    @TempDir
    Path tmp;

    private SnapshotCache cache;

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
    }

    @Test
    void aRefreshArrivingMidScanAbandonsTheBackgroundScanWhichReadsNothingMore() throws Exception {
        GatedProcFs procFs = new GatedProcFs(Fixtures.copyProc(tmp), 2); // the first background scan after start
        cache = cache(procFs, Duration.ofMillis(10), Duration.ofHours(1));
        cache.start();
        long first = cache.current().orElseThrow().sequence();
        assertThat(procFs.gate.entered.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Snapshot> refresh = CompletableFuture.supplyAsync(cache::fresh);
        await().atMost(Duration.ofSeconds(30)).until(cache::abandoning);
        procFs.gate.release.countDown();
        Snapshot fresh = refresh.get(30, TimeUnit.SECONDS);

        assertThat(cache.abandonedScans()).isEqualTo(1);
        assertThat(procFs.readsInScan(2)).as("files read by the abandoned scan").isZero();
        assertThat(fresh.sequence()).isEqualTo(first + 2); // the abandoned scan's, then the caller's own
        assertThat(cache.failedScans()).isZero();
        assertThat(cache.lastFailure()).isEmpty();
    }

    @Test
    void aScanServingCallersIsNotAbandonedByALaterOne() throws Exception {
        GatedProcFs procFs = new GatedProcFs(Fixtures.copyProc(tmp), 2); // the first forced scan
        // no rate limit: the late caller's scan may start as soon as the scan thread is free
        cache = cache(procFs, Duration.ofHours(1), Duration.ZERO);
        cache.start();
        CompletableFuture<Snapshot> early = CompletableFuture.supplyAsync(cache::fresh);
        assertThat(procFs.gate.entered.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Snapshot> late = CompletableFuture.supplyAsync(cache::fresh);
        await().atMost(Duration.ofSeconds(30)).until(cache::refreshWaiting);
        assertThat(cache.abandoning()).isFalse();
        procFs.gate.release.countDown();

        assertThat(early.get(30, TimeUnit.SECONDS).sequence()).isEqualTo(2);
        assertThat(late.get(30, TimeUnit.SECONDS).sequence()).isEqualTo(3);
        assertThat(cache.abandonedScans()).isZero();
        assertThat(procFs.readsInScan(2))
                .as("files read by the scan that served the early caller")
                .isPositive();
    }

    @Test
    void anAbandonedScanLeavesTheScannerAsTheLastFinishedScanLeftIt() throws IOException {
        Scanner scanner =
                new Scanner(new FixtureProcFs(Fixtures.copyProc(tmp)), () -> Passwd.EMPTY, 1, Clock.systemUTC());
        try (scanner) {
            Snapshot before = scanner.scan(1);
            assertThatThrownBy(() -> scanner.scan(2, () -> true)).isInstanceOf(ScanAbandonedException.class);
            Snapshot after = scanner.scan(3);
            assertThat(after.processes()).isEqualTo(before.processes());
            assertThat(after.namespaces()).isEqualTo(before.namespaces());
        }
    }

    private static SnapshotCache cache(GatedProcFs procFs, Duration interval, Duration refreshMinInterval) {
        Scanner scanner = new Scanner(procFs, () -> Passwd.EMPTY, 1, Clock.systemUTC());
        return new SnapshotCache(scanner, interval, refreshMinInterval, Duration.ofSeconds(30), 5, Clock.systemUTC());
    }

    /** Blocks one scan's listing of the processes until released, and counts the files each scan reads. */
    private static final class GatedProcFs extends FixtureProcFs {

        final Gate gate = new Gate();
        private final int gatedScan;
        private final AtomicInteger listings = new AtomicInteger();
        private final Map<Integer, AtomicLong> reads = new ConcurrentHashMap<>();

        GatedProcFs(Path root, int gatedScan) {
            super(root);
            this.gatedScan = gatedScan;
        }

        @Override
        public int[] pids() throws IOException {
            int scan = listings.incrementAndGet();
            if (scan == gatedScan) {
                gate.enter();
            }
            return super.pids();
        }

        @Override
        public String read(int pid, String file) throws IOException {
            reads.computeIfAbsent(listings.get(), k -> new AtomicLong()).incrementAndGet();
            return super.read(pid, file);
        }

        long readsInScan(int scan) {
            return reads.getOrDefault(scan, new AtomicLong()).get();
        }
    }

    private static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        void enter() {
            entered.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new UncheckedIOException(new IOException("gate never released"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
