package io.nsscope.scan;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link Snapshot} and keeps it fresh. All scans run one at a time on one background thread:
 * on a fixed delay, and on demand for {@code ?refresh=true}. Requests read the current snapshot through an
 * {@link AtomicReference} and never wait for a scan, except when they ask for a fresh one.
 *
 * <p>A fresh snapshot is single-flight and rate-limited: it is the first scan that starts after the caller asked
 * (a scan already running started before, and does not count; the next one, background or forced, does), every
 * caller that asks before that scan starts shares it, and scans that serve such callers start at least
 * {@code refreshMinInterval} apart, so a flood of {@code ?refresh=true} costs the host at most one scan per
 * interval. Background scans do not count against that limit: a caller arriving just after one started waits only
 * for it to end and its own to run. Nor does it make such a caller wait for two scans: a caller whose scan may start
 * at once, while a background scan that serves nobody is reading the processes, has that scan abandoned
 * ({@link ScanAbandonedException}) so that its own starts without waiting for the rest of the other. A scan that
 * serves callers, and the first scan, are never abandoned.
 *
 * <p>Scanning survives anything: a scan that fails, with an exception or a JVM {@link Error}, is logged and counted
 * by {@link ScanFailureKind}, the previous snapshot stays, and the next scan runs as planned (a periodic task that
 * threw would never run again). When no scan has succeeded for {@code staleAfterIntervals} intervals the snapshot is
 * stale ({@link #stale()}), which health reports; it is fresh again with the next successful scan. Time is read from
 * the injected {@link Clock}.
 */
public final class SnapshotCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnapshotCache.class);

    private final Scanner scanner;
    private final Duration interval;
    private final Duration refreshMinInterval;
    private final Duration refreshTimeout;
    private final Duration staleAfter;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final AtomicReference<ScanFailure> lastFailure = new AtomicReference<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong scans = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final Map<ScanFailureKind, AtomicLong> failed = new EnumMap<>(ScanFailureKind.class);
    private final List<SnapshotListener> listeners = new CopyOnWriteArrayList<>();
    private CompletableFuture<Snapshot> pending;
    /** Set to abandon the background scan in flight, if one that serves nobody is; guarded by {@code this}. */
    private AtomicBoolean abandonable;
    /** Guards {@link #periodic}; not {@code this}, which the scan thread takes while a start waits for it. */
    private final Object lifecycle = new Object();

    private ScheduledFuture<?> periodic;
    /** When the last scan that served {@link #fresh()} callers started: the rate limit counts only those. */
    private Instant lastForcedStart;

    /**
     * @param interval            the delay between the end of one background scan and the start of the next
     * @param refreshMinInterval  the least time between the starts of two forced scans
     * @param refreshTimeout      how long {@link #fresh()} waits
     * @param staleAfterIntervals after how many intervals without a successful scan the snapshot is stale
     * @param clock               the time source of the rate limit and of staleness
     */
    public SnapshotCache(
            Scanner scanner,
            Duration interval,
            Duration refreshMinInterval,
            Duration refreshTimeout,
            int staleAfterIntervals,
            Clock clock) {
        this.scanner = scanner;
        this.interval = interval;
        this.refreshMinInterval = refreshMinInterval;
        this.refreshTimeout = refreshTimeout;
        this.staleAfter = interval.multipliedBy(staleAfterIntervals);
        this.clock = clock;
        this.lastForcedStart = clock.instant().minus(Duration.ofDays(1));
        for (ScanFailureKind kind : ScanFailureKind.values()) {
            failed.put(kind, new AtomicLong());
        }
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
            periodic = executor.scheduleWithFixedDelay(
                    this::scanNow, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
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

    /** Scans run so far. */
    public long scans() {
        return scans.get();
    }

    /** Background scans abandoned so far for a forced one ({@link ScanAbandonedException}); counted in {@link #scans}. */
    public long abandonedScans() {
        return abandoned.get();
    }

    /** Whether a {@link #fresh()} caller waits for a scan that has not started yet; for tests. */
    synchronized boolean refreshWaiting() {
        return pending != null;
    }

    /** Whether the scan in flight has been asked to give up; for tests. */
    synchronized boolean abandoning() {
        return abandonable != null && abandonable.get();
    }

    /** Scans that failed so far, of every kind. */
    public long failedScans() {
        return failed.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Scans that failed so far with this kind of fault. */
    public long failedScans(ScanFailureKind kind) {
        return failed.get(kind).get();
    }

    /** The time source of this cache. */
    public Clock clock() {
        return clock;
    }

    /** How old the current snapshot is (since its scan started), or empty before the first successful scan. */
    public Optional<Duration> age() {
        return current().map(s -> Duration.between(s.takenAt(), clock.instant()));
    }

    /** After how long without a successful scan the snapshot is stale: the interval times the configured count. */
    public Duration staleAfter() {
        return staleAfter;
    }

    /** Whether no scan has succeeded for {@link #staleAfter()}, or none ever has. */
    public boolean stale() {
        return age().map(age -> age.compareTo(staleAfter) > 0).orElse(true);
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
                CompletableFuture<Snapshot> mine = new CompletableFuture<>();
                pending = mine;
                Duration wait = Duration.between(clock.instant(), lastForcedStart.plus(refreshMinInterval));
                executor.schedule(() -> forcedScan(mine), Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
                if (wait.compareTo(Duration.ZERO) <= 0 && abandonable != null) {
                    // The scan in flight started before this caller asked and serves nobody: its result would not
                    // do, and finishing it would only delay the one that will.
                    abandonable.set(true);
                }
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
            // The cause (a path, an errno, a class) is for the log and the health endpoint, not for every caller.
            throw new FreshSnapshotUnavailableException(
                    "the scan failed; the service's log and health say why", e.getCause());
        }
    }

    /**
     * The scan asked for by {@link #fresh()} for the callers of {@code asked}, unless a background scan started since
     * and served them. Their task must not serve callers who came later: those scheduled a task of their own, at the
     * rate limit's time, and serving them early would let a flood of refreshes run scans back to back.
     */
    private void forcedScan(CompletableFuture<Snapshot> asked) {
        synchronized (this) {
            if (pending != asked) {
                return;
            }
        }
        scanNow();
    }

    /**
     * Runs one scan on the scan thread; whoever was waiting when it started gets its result. Never throws: whatever
     * the scan throws is its failure, and the periodic task must live on.
     */
    private void scanNow() {
        CompletableFuture<Snapshot> waiting;
        AtomicBoolean abandon = new AtomicBoolean();
        synchronized (this) {
            waiting = pending;
            pending = null;
            if (waiting != null) {
                lastForcedStart = clock.instant();
            } else if (current.get() != null) {
                abandonable = abandon;
            }
        }
        scans.incrementAndGet();
        Snapshot snapshot;
        try {
            snapshot = scanner.scan(sequence.incrementAndGet(), abandon::get);
        } catch (ScanAbandonedException e) {
            abandoned.incrementAndGet();
            return;
        } catch (Throwable e) {
            failed(e, waiting);
            return;
        } finally {
            synchronized (this) {
                abandonable = null;
            }
        }
        Snapshot previous = current.getAndSet(snapshot);
        lastFailure.set(null);
        if (waiting != null) {
            waiting.complete(snapshot);
        }
        notify(listener -> listener.onSnapshot(previous, snapshot, SnapshotDiff.between(previous, snapshot)));
    }

    private void failed(Throwable e, CompletableFuture<Snapshot> waiting) {
        // Not a race (those are absorbed by the scanner): the procfs is broken, or nsscope or the JVM is. Keep serving
        // the previous snapshot, say why, count it, and let health report it.
        ScanFailureKind kind = ScanFailureKind.of(e);
        failed.get(kind).incrementAndGet();
        lastFailure.set(new ScanFailure(clock.instant(), e.toString(), kind));
        if (kind == ScanFailureKind.PROCFS) {
            log.warn(
                    "scan of {} failed ({}); the previous snapshot, if any, stays served",
                    scanner.procFs().root(),
                    e.toString());
        } else {
            log.error(
                    "scan of {} failed ({}); the previous snapshot, if any, stays served, and the next scan runs",
                    scanner.procFs().root(),
                    kind.label(),
                    e);
        }
        if (waiting != null) {
            waiting.completeExceptionally(e);
        }
        notify(listener -> listener.onScanFailure(e));
    }

    private void notify(Consumer<SnapshotListener> call) {
        for (SnapshotListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (Throwable e) {
                // A listener's fault, even an Error, must not stop the scans that every request depends on.
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
     * @param kind   what kind of fault it was
     */
    public record ScanFailure(Instant at, String reason, ScanFailureKind kind) {}
}
