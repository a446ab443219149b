package io.nsscope.scan;

import io.nsscope.process.ProcessInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads the reading of every process's {@code fd/} over {@link #ROUNDS} scans. Stat'ing every descriptor of each of
 * 3,000 processes costs the kernel tens of milliseconds of CPU per scan, most of a scan, and descriptors of namespace
 * files and of sockets made in another network namespace are rare; so a scan reads the whole table only of the
 * processes it has not seen before (a new PID, or a PID with another start time) and of one in {@link #ROUNDS} of the
 * others (by PID), and for the rest checks again only the descriptors that held a namespace last time, keeping those
 * that still do. A namespace newly opened, or a socket newly received, by a long-lived process is so found within
 * {@link #ROUNDS} scans; one whose last descriptor closed is gone at the next scan, as is every holder of a process
 * that exited.
 *
 * <p>State between scans, written by one scan at a time (the cache runs one scan at a time), read by its threads.
 */
final class DescriptorSweep {

    /** In how many scans every descriptor table is read once. */
    static final int ROUNDS = 4;

    /**
     * What the last scan knew of a process: who it was, the descriptors that held a namespace, and its sockets
     * made in another network namespace.
     */
    record Known(long startTime, List<NamespaceRef> namespaceFds, List<SocketHeld> sockets) {
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

    /** The sockets of the process that held another network namespace at the last scan (to be checked again). */
    List<SocketHeld> lastSockets(ProcessInfo p) {
        Known known = last.get(p.pid());
        return known == null ? List.of() : known.sockets();
    }

    /** Remembers what this scan found, for the next. */
    void remember(List<ProcessRead> reads, Map<Integer, List<SocketHeld>> sockets) {
        Map<Integer, Known> next = new HashMap<>(reads.size() * 2);
        for (ProcessRead r : reads) {
            next.put(r.info().pid(), new Known(r.info().startTime(), r.namespaceFds(),
                    sockets.getOrDefault(r.info().pid(), List.of())));
        }
        last = next;
    }
}
