package io.nsscope.sandbox;

import io.nsscope.jna.Fd;
import io.nsscope.jna.Linux;
import io.nsscope.jna.SyscallException;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcessVanishedException;
import io.nsscope.procfs.ProcStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives an ended sandbox's ids back to the {@link UidPool}: after {@code nsscope.sandbox.uid-quarantine}, and only
 * once no process on the host has one of them as a real, effective, saved or file-system UID or GID. A process
 * still found then escaped its sandbox's end; it is killed (through a pidfd, after checking its ids again, so a
 * reused PID is never hit) and the ids are looked at again a little later.
 */
final class UidReclaim {

    private static final Logger log = LoggerFactory.getLogger(UidReclaim.class);
    private static final long RETRY_MILLIS = 250;

    private final UidPool pool;
    private final ProcFs proc;
    private final ScheduledExecutorService scheduler;
    private final Duration quarantine;

    UidReclaim(UidPool pool, ProcFs proc, ScheduledExecutorService scheduler, Duration quarantine) {
        this.pool = pool;
        this.proc = proc;
        this.scheduler = scheduler;
        this.quarantine = quarantine;
    }

    /** The sandbox {@code id} ended: its ids go back to the pool after the quarantine, when nothing uses them. */
    void ended(String id) {
        scheduler.schedule(() -> reclaim(id), quarantine.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reclaim(String id) {
        List<IdMap> ranges = pool.held(id);
        List<Integer> left;
        try {
            left = survivors(proc, ranges);
        } catch (RuntimeException e) {
            log.warn("sandbox {}: cannot look for processes of its ids, trying again: {}", id, e.toString());
            scheduler.schedule(() -> reclaim(id), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        if (left.isEmpty()) {
            pool.free(id);
            return;
        }
        log.warn("sandbox {} ended but processes {} still run as its ids {}: killing them", id, left, ranges);
        left.forEach(pid -> killIfStill(proc, pid, ranges));
        scheduler.schedule(() -> reclaim(id), RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The host's processes with a UID or GID in {@code ranges}. */
    static List<Integer> survivors(ProcFs proc, List<IdMap> ranges) {
        List<Integer> pids = new ArrayList<>();
        if (ranges.isEmpty()) {
            return pids;
        }
        int[] all;
        try {
            all = proc.pids();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + proc.root(), e);
        }
        for (int pid : all) {
            if (uses(status(proc, pid), ranges)) {
                pids.add(pid);
            }
        }
        return pids;
    }

    private static void killIfStill(ProcFs proc, int pid, List<IdMap> ranges) {
        try (Fd pidfd = Linux.pidfdOpen(pid)) {
            if (uses(status(proc, pid), ranges)) {
                Reaping.killQuietly(pidfd);
            }
        } catch (SyscallException e) {
            // gone meanwhile
        }
    }

    private static ProcStatus status(ProcFs proc, int pid) {
        try {
            return ProcStatus.read(proc, pid);
        } catch (IOException | ProcessVanishedException e) {
            return null; // exited while listed
        }
    }

    private static boolean uses(ProcStatus status, List<IdMap> ranges) {
        if (status == null) {
            return false;
        }
        for (IdMap m : ranges) {
            for (int uid : status.uids()) {
                if (m.containsOutside(Integer.toUnsignedLong(uid))) {
                    return true;
                }
            }
            for (long gid : status.gids()) {
                if (m.containsOutside(gid)) {
                    return true;
                }
            }
        }
        return false;
    }
}
