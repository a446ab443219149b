package io.nsscope.scan;

/**
 * Told of every scan, on the scan thread, right after the cache swapped in its snapshot. Implementations must be
 * quick and must not block (metrics, event fan-out into bounded queues); an exception is logged and ignored.
 */
public interface SnapshotListener {

    /**
     * A scan succeeded.
     *
     * @param previous the snapshot it replaced, or {@code null} for the first
     * @param current  the new snapshot
     * @param diff     the namespaces that appeared and went between the two, computed once for every listener
     */
    void onSnapshot(Snapshot previous, Snapshot current, SnapshotDiff diff);

    /** A scan succeeded: the same, computing the difference. */
    default void onSnapshot(Snapshot previous, Snapshot current) {
        onSnapshot(previous, current, SnapshotDiff.between(previous, current));
    }

    /** A scan failed (with an exception or a JVM error); the previous snapshot stays. */
    default void onScanFailure(Throwable error) {}
}
