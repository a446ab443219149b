package io.nsscope.scan;

import io.nsscope.process.ProcessInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads the reading of every process's {@code fd/} over {@link #ROUNDS} scans. Listing the descriptor table of
 * each of 3,000 processes and reading each link costs the kernel about 45 ms of CPU per scan, most of a scan, and
 * namespace descriptors are rare; so a scan reads the whole table only of the processes it has not seen before (a
 * new PID, or a PID with another start time) and of one in {@link #ROUNDS} of the others (by PID), and for the rest
 * re-reads only the descriptors that held a namespace last time, keeping those that still do. A namespace opened
 * by a descriptor of a long-lived process is so found within {@link #ROUNDS} scans; one whose last descriptor closed
 * is gone at the next scan, as is every holder of a process that exited.
 *
 * <p>State between scans, written by one scan at a time (the cache runs one scan at a time), read by its threads.
 */
final class DescriptorSweep {

    /** In how many scans every descriptor table is read once. */
    static final int ROUNDS = 4;

    /** What the last scan knew of a process: who it was, and the descriptors that held a namespace. */
    record Known(long startTime, List<NamespaceRef> namespaceFds) {
    }

    private volatile Map<Integer, Known> last = Map.of();

    /** Whether this scan reads the process's whole descriptor table. */
    boolean readsWholeTable(ProcessInfo p, long sequence) {
        Known known = last.get(p.pid());
        return known == null || known.startTime() != p.startTime()
                || Math.floorMod(p.pid(), ROUNDS) == Math.floorMod(sequence, ROUNDS);
    }

    /** The descriptors of the process that held a namespace at the last scan (to be checked again). */
    List<NamespaceRef> lastSeen(ProcessInfo p) {
        Known known = last.get(p.pid());
        return known == null ? List.of() : known.namespaceFds();
    }

    /** Remembers what this scan found, for the next. */
    void remember(List<ProcessRead> reads) {
        Map<Integer, Known> next = new HashMap<>(reads.size() * 2);
        for (ProcessRead r : reads) {
            next.put(r.info().pid(), new Known(r.info().startTime(), r.namespaceFds()));
        }
        last = next;
    }
}
