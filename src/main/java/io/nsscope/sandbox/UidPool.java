package io.nsscope.sandbox;

import io.nsscope.namespace.IdRange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host UIDs (and the same GIDs) sandboxes run as ({@code nsscope.sandbox.uid-pool}): each sandbox holds one UID,
 * or the outside ranges of its explicit id maps, from its creation until {@link #free} (after it ended, its
 * quarantine passed and no process of those ids is left: see {@link UidReclaim}), so no two sandboxes share an id
 * and none can signal or ptrace another. An id a live process of the host uses ({@link HostIds}) is never handed
 * out. UIDs are handed out round-robin, least recently used first, so that what one sandbox left behind as its UID
 * (a file in a world-writable directory, a SysV object outside an ipc namespace of its own) meets a later sandbox
 * only once the whole pool went round. Never contains 0. All arithmetic is exact: a range that would overflow is
 * simply not in the pool.
 */
final class UidPool {

    private final long first;
    private final long last;
    private final Map<String, List<IdRange>> held = new HashMap<>();
    private long cursor;

    UidPool(long first, long last) {
        if (first <= 0 || last < first) {
            throw new IllegalArgumentException("a UID pool is 0 < first <= last");
        }
        this.first = first;
        this.last = last;
    }

    long first() {
        return first;
    }

    long last() {
        return last;
    }

    /** Whether {@code [outside, outside + count)} lies in the pool (count at least 1). */
    boolean contains(long outside, long count) {
        if (count < 1 || outside < first) {
            return false;
        }
        try {
            return Math.addExact(outside, count - 1) <= last;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    /** Holds, for {@code id}, the next free UID after the last one handed out that no process uses. */
    synchronized long takeOne(String id, Set<Long> inUse) {
        long size = last - first + 1;
        for (long i = 0; i < size; i++) {
            long uid = first + (cursor + i) % size;
            if (free(uid, 1) && !inUse.contains(uid)) {
                held.put(id, List.of(new IdRange(0, uid, 1)));
                cursor = (uid - first + 1) % size;
                return uid;
            }
        }
        throw new UidRangeInUseException("Every UID of nsscope.sandbox.uid-pool (" + first + "-" + last
                + ") is held by a sandbox that runs, ended less than nsscope.sandbox.uid-quarantine ago, or has a"
                + " process left, or is used by another process of the host.");
    }

    /**
     * Holds the outside ranges of {@code maps} for {@code id}, all or none; each must lie in the pool and hold no id
     * of {@code inUse}.
     */
    synchronized void take(String id, List<IdRange> maps, Set<Long> inUse) {
        for (IdRange m : maps) {
            if (!contains(m.outside(), m.count())) {
                throw new IllegalArgumentException("outside the pool: " + m);
            }
            long end = m.outside() + m.count();
            List<Long> used = inUse.stream()
                    .filter(u -> u >= m.outside() && u < end)
                    .sorted()
                    .limit(5)
                    .toList();
            if (!used.isEmpty()) {
                throw new UidRangeInUseException("The outside range " + m.outside() + "-" + (end - 1)
                        + " holds ids a process of the host uses: " + used + ".");
            }
            if (!free(m.outside(), m.count())) {
                throw new UidRangeInUseException("The outside range " + m.outside() + "-"
                        + (m.outside() + m.count() - 1) + " overlaps the UIDs of a sandbox that runs or ended less"
                        + " than nsscope.sandbox.uid-quarantine ago.");
            }
        }
        held.put(id, List.copyOf(maps));
    }

    /** The ranges {@code id} holds, empty if none. */
    synchronized List<IdRange> held(String id) {
        return held.getOrDefault(id, List.of());
    }

    /** Gives {@code id}'s ids back to the pool. */
    synchronized void free(String id) {
        held.remove(id);
    }

    private boolean free(long outside, long count) {
        for (List<IdRange> maps : held.values()) {
            for (IdRange m : maps) {
                if (outside < m.outside() + m.count() && m.outside() < outside + count) {
                    return false;
                }
            }
        }
        return true;
    }
}
