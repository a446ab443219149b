package io.nsscope.scan;

import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcessVanishedException;
import io.nsscope.procfs.SchedStat;
import io.nsscope.procfs.SchedStatFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The scheduler's counters of a process's threads at one scan ({@link SchedStat}): the kernel's record of whether any
 * of them ran. Nothing a process changes about itself changes without one of its threads running, so a process whose
 * counters are the same at two scans changed nothing in between, and what the first scan read of it still holds.
 *
 * <p>The counters are read before the files they vouch for: a change made after the counters were read shows in
 * them at the next scan.
 *
 * @param leader   the first thread's counters ({@code /proc/PID/schedstat}): the thread whose namespaces
 *                 {@code /proc/PID/ns/} shows, and who alone can change them; {@link #UNKNOWN} if unreadable
 * @param others   every other thread listed in {@code /proc/PID/task/}, with its counters
 *                 ({@code task/TID/schedstat}, {@link #UNKNOWN} if hidden from us), by thread ID, ascending; read for
 *                 a process that had more than one thread when it was last read (empty otherwise: a second thread can
 *                 only be made by a thread that then ran). A thread that ended between the listing and its read is
 *                 left out
 * @param complete whether every counter could be read
 */
record Activity(SchedStat leader, Map<Integer, SchedStat> others, boolean complete) {

    /** The counters of a thread that hides them, or of a kernel that keeps none. */
    static final SchedStat UNKNOWN = new SchedStat(0, 0, 0);

    Activity {
        Objects.requireNonNull(leader, "leader");
        // Most processes have one thread: no map of their own for none (docs/image.md, "Memory at 10,000 processes").
        others = others.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(others));
    }

    /**
     * Whether the counters can tell anything: not on a kernel without scheduler counters (it prints zeros), nor when
     * some thread's could not be read.
     */
    boolean counts() {
        return complete && leader.counts();
    }

    /** Whether the first thread ran since {@code before} was read (or nothing tells). */
    boolean leaderRanSince(Activity before) {
        return before == null || !counts() || !before.counts() || !leader.equals(before.leader);
    }

    /** Whether this thread ran since {@code before} was read, was not there then, or nothing tells. */
    boolean threadRanSince(Activity before, int tid) {
        SchedStat now = others.get(tid);
        SchedStat then = before == null ? null : before.others.get(tid);
        return then == null || now == null || !now.counts() || !now.equals(then);
    }

    /** Whether no thread of the process ran since {@code before} was read, and the counters say so for sure. */
    boolean sameAs(Activity before) {
        return before != null && counts() && equals(before);
    }

    /**
     * Reads the first thread's counters, and when {@code threads} is true lists the other threads and reads theirs.
     * Counters that cannot be read (denied, absent on this kernel, not a schedstat line) are {@link #UNKNOWN}, and
     * such an activity {@link #counts() counts} nothing; the threads are listed all the same.
     *
     * @param files  where the counters are read (held open from one scan to the next where it can)
     * @throws ProcessVanishedException if the process exited
     */
    static Activity read(ProcFs procFs, SchedStatFiles files, int pid, boolean threads) {
        boolean complete = true;
        SchedStat leader = counters(procFs, files, pid, null);
        if (leader == null) {
            leader = UNKNOWN;
            complete = false;
        }
        if (!threads) {
            return new Activity(leader, Map.of(), complete);
        }
        int[] tids;
        try {
            tids = procFs.list(pid, "task");
        } catch (IOException e) {
            return new Activity(leader, Map.of(), false); // denied: no thread is known
        }
        Map<Integer, SchedStat> others = new TreeMap<>();
        for (int tid : tids) {
            if (tid == pid) {
                continue;
            }
            SchedStat counters = counters(procFs, files, pid, tid);
            if (counters == null) {
                if (!taskExists(procFs, pid, tid)) {
                    continue; // it ended since the listing
                }
                counters = UNKNOWN;
                complete = false;
            }
            others.put(tid, counters);
        }
        return new Activity(leader, others, complete);
    }

    /**
     * The counters of the process's first thread ({@code tid} null) or of one thread, or null if they cannot be read
     * (a thread that vanished counts as such).
     */
    private static SchedStat counters(ProcFs procFs, SchedStatFiles files, int pid, Integer tid) {
        try {
            return tid == null ? files.read(pid) : files.readTask(pid, tid);
        } catch (ProcessVanishedException e) {
            if (tid != null && procFs.exists(pid)) {
                return null; // only this thread is exiting (ESRCH)
            }
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean taskExists(ProcFs procFs, int pid, int tid) {
        try {
            procFs.stat(pid, "task/" + tid);
            return true;
        } catch (NoSuchFileException | ProcessVanishedException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
