package io.nsscope.sandbox;

import io.nsscope.namespace.IdRange;
import io.nsscope.procfs.ProcFs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives an ended sandbox's ids back to the {@link UidPool}: after {@code nsscope.sandbox.uid-quarantine}, and only
 * once no live process of the host has one of them as a real, effective, saved or file-system UID or GID. Such a
 * process is never killed here: the sandbox's own processes all ended with its cgroup (or its pid namespace), so one
 * still there is not the sandbox's; the ids simply stay held, and are looked at again a little later.
 */
final class UidReclaim {

    private static final Logger log = LoggerFactory.getLogger(UidReclaim.class);
    private static final long RETRY_MILLIS = 5_000;

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
        try {
            scheduler.schedule(() -> reclaim(id, true), quarantine.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("sandbox {} ended while nsscope shuts down: its ids go with the pool", id);
        }
    }

    private void reclaim(String id, boolean first) {
        List<IdRange> ranges = pool.held(id);
        boolean used;
        try {
            used = HostIds.anyInUse(proc, ranges);
        } catch (RuntimeException e) {
            log.warn("sandbox {}: cannot look for processes of its ids, trying again: {}", id, e.toString());
            used = true;
        }
        if (!used) {
            pool.free(id);
            return;
        }
        if (first) {
            log.warn(
                    "sandbox {} ended but a process outside it still uses its ids {}: they stay out of the pool"
                            + " until none does",
                    id,
                    ranges);
        }
        scheduler.schedule(() -> reclaim(id, false), RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }
}
