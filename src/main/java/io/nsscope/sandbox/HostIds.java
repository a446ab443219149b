package io.nsscope.sandbox;

import io.nsscope.namespace.IdRange;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcStatus;
import io.nsscope.procfs.ProcessVanishedException;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ids live processes of the host use, from every {@code /proc/PID/status} (the real, effective, saved and file
 * system UIDs and GIDs; zombies, which can do nothing, left out): a pool UID is handed to a sandbox only when no
 * process uses it, whoever that process is (a previous run's leftover, a rootless container's sub-UID, a
 * user-namespaced pod of the kubelet), and given back only when none does.
 */
final class HostIds {

    private HostIds() {}

    /** The ids in {@code [first, last]} that a live process of the host uses. */
    static Set<Long> inUse(ProcFs proc, long first, long last) {
        Set<Long> used = new HashSet<>();
        for (int pid : pids(proc)) {
            ProcStatus s = status(proc, pid);
            if (s == null || s.zombie()) {
                continue;
            }
            for (int uid : s.uids()) {
                long u = Integer.toUnsignedLong(uid);
                if (u >= first && u <= last) {
                    used.add(u);
                }
            }
            for (long g : s.gids()) {
                if (g >= first && g <= last) {
                    used.add(g);
                }
            }
        }
        return used;
    }

    /** Whether a live process uses an id of {@code ranges} (their outside ids). */
    static boolean anyInUse(ProcFs proc, List<IdRange> ranges) {
        for (IdRange m : ranges) {
            if (!inUse(proc, m.outside(), m.outside() + m.count() - 1).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static int[] pids(ProcFs proc) {
        try {
            return proc.pids();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + proc.root(), e);
        }
    }

    private static ProcStatus status(ProcFs proc, int pid) {
        try {
            return ProcStatus.read(proc, pid);
        } catch (IOException | ProcessVanishedException e) {
            return null; // exited while listed
        }
    }

    /** For a message: the first few of a set of ids. */
    static String sample(Set<Long> ids) {
        return ids.stream().sorted().limit(5).map(String::valueOf).toList() + (ids.size() > 5 ? "…" : "");
    }

    static Set<Long> none() {
        return new HashSet<>();
    }
}
