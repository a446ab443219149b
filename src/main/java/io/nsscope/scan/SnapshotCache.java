package io.nsscope.scan;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link Snapshot} and keeps it fresh. All scans run one at a time on one background thread:
 * on a fixed delay, and on demand for {@code ?refresh=true}. Requests read the current snapshot through an
 * {@link AtomicReference} and never wait for a scan, except when they ask for a fresh one.
 *
 * <p>A fresh snapshot is single-flight and rate-limited: every caller that asks before a scan starts shares that
 * scan, and forced scans start at least {@code refreshMinInterval} apart, so a flood of {@code ?refresh=true}
 * costs the host at most one scan per interval. A failed scan is logged and counted; the previous snapshot stays.
 */
public final class SnapshotCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnapshotCache.class);

    private final Scanner scanner;
    private final Duration interval;
    private final Duration refreshMinInterval;
    private final Duration refreshTimeout;
    private final ScheduledExecutorService executor;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final AtomicReference<ScanFailure> lastFailure = new AtomicReference<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong scans = new AtomicLong();
    private final AtomicLong failedScans = new AtomicLong();
    private final List<SnapshotListener> listeners = new CopyOnWriteArrayList<>();
    private CompletableFuture<Snapshot> pending;
    /** Guards {@link #periodic}; not {@code this}, which the scan thread takes while a start waits for it. */
    private final Object lifecycle = new Object();
    private ScheduledFuture<?> periodic;
    private long lastStartNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

    public SnapshotCache(Scanner scanner, Duration interval, Duration refreshMinInterval, Duration refreshTimeout) {
        this.scanner = scanner;
        this.interval = interval;
        this.refreshMinInterval = refreshMinInterval;
        this.refreshTimeout = refreshTimeout;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nsscope-scan");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Adds a listener told of every later scan. */
    public void addListener(SnapshotListener listener) {
        listeners.add(listener);
    }

    /**
     * Takes a snapshot now (so the service starts with data), then keeps scanning in the background until
     * {@link #stop()}. Starting a started cache does nothing.
     */
    public void start() {
        synchronized (lifecycle) {
            startLocked();
        }
    }

    private void startLocked() {
        if (periodic != null) {
            return;
        }
        try {
            // On the scan thread, like every scan: two scans never overlap, so snapshots land in order.
            executor.submit(this::scanNow).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the first scan could not run", e.getCause());
        }
        periodic = executor.scheduleWithFixedDelay(this::scanNow, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Stops the background scans (the current snapshot stays); {@link #start()} resumes them. */
    public void stop() {
        synchronized (lifecycle) {
            if (periodic != null) {
                periodic.cancel(false);
                periodic = null;
            }
        }
    }

    /** The current snapshot, if any scan has succeeded yet. */
    public Optional<Snapshot> current() {
        return Optional.ofNullable(current.get());
    }

    /** The last scan failure, if the last scan failed. */
    public Optional<ScanFailure> lastFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    /** Scans run so far, and those of them that failed. */
    public long scans() {
        return scans.get();
    }

    public long failedScans() {
        return failedScans.get();
    }

    /**
     * A snapshot taken after this call: waits for the next scan to start and finish, sharing it with every
     * other caller waiting for the same one.
     *
     * @throws FreshSnapshotUnavailableException if it fails or does not finish in time
     */
    public Snapshot fresh() {
        CompletableFuture<Snapshot> future;
        synchronized (this) {
            if (pending == null) {
                pending = new CompletableFuture<>();
                long wait = Math.max(0, lastStartNanos + refreshMinInterval.toNanos() - System.nanoTime());
                executor.schedule(this::scanNow, wait, TimeUnit.NANOSECONDS);
            }
            future = pending;
        }
        try {
            return future.get(refreshTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FreshSnapshotUnavailableException("interrupted while waiting for a scan", e);
        } catch (TimeoutException e) {
            throw new FreshSnapshotUnavailableException("no scan finished within " + refreshTimeout, e);
        } catch (ExecutionException e) {
            throw new FreshSnapshotUnavailableException("the scan failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Runs one scan on the scan thread; whoever was waiting when it started gets its result. */
    private void scanNow() {
        CompletableFuture<Snapshot> waiting;
        synchronized (this) {
            waiting = pending;
            pending = null;
            lastStartNanos = System.nanoTime();
        }
        scans.incrementAndGet();
        try {
            Snapshot snapshot = scanner.scan(sequence.incrementAndGet());
            Snapshot previous = current.getAndSet(snapshot);
            lastFailure.set(null);
            if (waiting != null) {
                waiting.complete(snapshot);
            }
            SnapshotDiff diff = SnapshotDiff.between(previous, snapshot);
            notify(listener -> listener.onSnapshot(previous, snapshot, diff));
        } catch (Exception e) {
            // Not a race (those are absorbed by the scanner): the procfs root is missing or broken. Keep serving
            // the previous snapshot, say why once per failure, and let health report it.
            failedScans.incrementAndGet();
            lastFailure.set(new ScanFailure(java.time.Instant.now(), e.toString()));
            log.warn("scan of {} failed ({}); the previous snapshot, if any, stays served", scanner.procFs().root(), e.toString());
            if (waiting != null) {
                waiting.completeExceptionally(e);
            }
            notify(listener -> listener.onScanFailure(e));
        }
    }

    private void notify(java.util.function.Consumer<SnapshotListener> call) {
        for (SnapshotListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                // A listener's bug must not stop the scans that every request depends on.
                log.error("snapshot listener {} failed", listener, e);
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        scanner.close();
    }

    /**
     * Why the last scan failed.
     *
     * @param at     when it failed
     * @param reason the error
     */
    public record ScanFailure(java.time.Instant at, String reason) {
    }
}
