package io.nsscope.sandbox;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host UIDs (and the same GIDs) sandboxes run as ({@code nsscope.sandbox.uid-pool}): each sandbox holds one UID,
 * or the outside ranges of its explicit id maps, from its creation until {@link #free} (after it ended, its
 * quarantine passed and no process of those ids is left: see {@link UidReclaim}), so no two sandboxes share an id
 * and none can signal or ptrace another. Never contains 0. All arithmetic is exact: a range that would overflow is
 * simply not in the pool.
 */
final class UidPool {

    private final long first;
    private final long last;
    private final Map<String, List<IdMap>> held = new HashMap<>();

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

    /** Holds the lowest free UID for {@code id}. */
    synchronized long takeOne(String id) {
        for (long uid = first; uid <= last; uid++) {
            if (free(uid, 1)) {
                held.put(id, List.of(new IdMap(0, uid, 1)));
                return uid;
            }
        }
        throw new UidRangeInUseException("Every UID of nsscope.sandbox.uid-pool (" + first + "-" + last
                + ") is held by a running sandbox or one that ended less than nsscope.sandbox.uid-quarantine ago.");
    }

    /** Holds the outside ranges of {@code maps} for {@code id}, all or none; each must lie in the pool. */
    synchronized void take(String id, List<IdMap> maps) {
        for (IdMap m : maps) {
            if (!contains(m.outside(), m.count())) {
                throw new IllegalArgumentException("outside the pool: " + m);
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
    synchronized List<IdMap> held(String id) {
        return held.getOrDefault(id, List.of());
    }

    /** Gives {@code id}'s ids back to the pool. */
    synchronized void free(String id) {
        held.remove(id);
    }

    private boolean free(long outside, long count) {
        for (List<IdMap> maps : held.values()) {
            for (IdMap m : maps) {
                if (outside < m.outside() + m.count() && m.outside() < outside + count) {
                    return false;
                }
            }
        }
        return true;
    }
}
