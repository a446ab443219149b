package io.nsscope.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nsscope.procfs.Passwd;
import io.nsscope.testing.FixtureProcFs;
import io.nsscope.testing.Fixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ?refresh=true} ({@link SnapshotCache#fresh()}) and its rate limit: the limit spaces the scans that serve
 * refresh callers, and a background scan that just started does not hold a refresh back.
 */
class ForcedRefreshTest {

    @TempDir
    Path tmp;

    private SnapshotCache cache;

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
    }

    private SnapshotCache cache(Duration refreshTimeout) {
        Scanner scanner =
                new Scanner(new FixtureProcFs(Fixtures.copyProc(tmp)), () -> Passwd.EMPTY, 1, Clock.systemUTC());
        // background scans far apart, and a rate limit far longer than any test
        cache = new SnapshotCache(
                scanner, Duration.ofHours(1), Duration.ofHours(1), refreshTimeout, 5, Clock.systemUTC());
        return cache;
    }

    @Test
    void aRefreshJustAfterABackgroundScanStartedGetsItsOwnScanWithoutWaitingForTheRateLimit() {
        cache(Duration.ofSeconds(30)).start(); // the first scan, a background one, has just run
        Snapshot first = cache.current().orElseThrow();
        Snapshot fresh = cache.fresh();
        assertThat(fresh.sequence()).isGreaterThan(first.sequence());
        assertThat(cache.scans()).isEqualTo(2);
    }

    @Test
    void scansThatServeRefreshCallersAreStillRateLimited() {
        cache(Duration.ofMillis(300)).start();
        cache.fresh();
        // the next forced scan may start only an hour after the last: this caller's wait ends first
        assertThatThrownBy(cache::fresh)
                .isInstanceOf(FreshSnapshotUnavailableException.class)
                .hasMessageContaining("no scan finished within");
        assertThat(cache.scans()).isEqualTo(2);
    }
}
