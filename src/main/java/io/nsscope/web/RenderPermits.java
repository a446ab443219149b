package io.nsscope.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many answers {@link ResponseCache} renders at once ({@code nsscope.api.max-renders-in-flight}). A render holds
 * a whole answer in memory (4 MB for {@code /processes} at 10,000 processes), and a caller who varies the query
 * string misses the cache every time: without a bound, a few dozen such requests at once fill a small heap. A render
 * that finds no permit within {@link #WAIT} is refused (503, counted as {@code nsscope_renders_refused_total});
 * answers already rendered need none, so the common ones are still served.
 */
final class RenderPermits {

    /** Long enough to ride out a burst of honest requests (a page asking for several answers after a scan). */
    static final Duration WAIT = Duration.ofMillis(250);

    private final int max;
    private final Semaphore permits;
    private final Counter refused;

    /** {@code registry} null: nothing counted (no metrics in this context). */
    RenderPermits(int max, MeterRegistry registry) {
        this.max = max;
        this.permits = new Semaphore(max);
        this.refused = registry == null
                ? null
                : Counter.builder("nsscope.renders.refused")
                        .description("Renders refused with 503 because nsscope.api.max-renders-in-flight were running")
                        .register(registry);
    }

    /**
     * Takes a permit, waiting up to {@link #WAIT}; false (and counted) if none came free. A true must be followed
     * by {@link #release()}, in a {@code finally}.
     */
    boolean acquire() throws InterruptedException {
        if (permits.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        if (refused != null) {
            refused.increment();
        }
        return false;
    }

    void release() {
        permits.release();
    }

    /** Permits not taken now (for tests and diagnostics). */
    int available() {
        return permits.availablePermits();
    }

    int max() {
        return max;
    }
}
