package io.nsscope.sandbox;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host UIDs (and the same GIDs) sandboxes run as ({@code nsscope.sandbox.uid-pool}): each running sandbox
 * holds one UID, or the outside ranges of its explicit id maps, so no two sandboxes share an id and none can signal
 * or ptrace another. Never contains 0.
 */
final class UidPool {

    private final long first;
    private final long last;
    private final Map<String, List<IdMap>> held = new HashMap<>();

    UidPool(long first, long last) {
        this.first = first;
        this.last = last;
    }

    long first() {
        return first;
    }

    long last() {
        return last;
    }

    /** Whether {@code [outside, outside + count)} lies in the pool. */
    boolean contains(long outside, long count) {
        return outside >= first && outside + count - 1 <= last;
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
                + ") is held by a running sandbox.");
    }

    /** Holds the outside ranges of {@code maps} for {@code id}, all or none. */
    synchronized void take(String id, List<IdMap> maps) {
        for (IdMap m : maps) {
            if (!free(m.outside(), m.count())) {
                throw new UidRangeInUseException("The outside range " + m.outside() + "-"
                        + (m.outside() + m.count() - 1) + " overlaps the UIDs of a running sandbox.");
            }
        }
        held.put(id, List.copyOf(maps));
    }

    synchronized void release(String id) {
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
