package io.nsscope.sandbox;

import io.nsscope.config.NsscopeProperties;
import io.nsscope.jna.Fd;
import io.nsscope.jna.Linux;
import io.nsscope.jna.SyscallException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes a previous run of nsscope left running (it crashed, or was killed): found by the
 * {@code NSSCOPE_SANDBOX_ID} mark in their processes' environment, then killed or adopted. No orphan survives a
 * restart unnoticed: each is logged.
 */
final class Leftovers {

    private static final Logger log = LoggerFactory.getLogger(Leftovers.class);

    private final Path proc;
    private final Registry registry;
    private final Tracking tracking;
    private final UidPool pool;
    private final Semaphore slots;

    Leftovers(Path proc, Registry registry, Tracking tracking, UidPool pool, Semaphore slots) {
        this.proc = proc;
        this.registry = registry;
        this.tracking = tracking;
        this.pool = pool;
        this.slots = slots;
    }

    void recover(NsscopeProperties.OnStartup mode, Duration ttl) {
        for (Map.Entry<String, List<Integer>> e : Reaping.marked(proc).entrySet()) {
            String id = e.getKey();
            if (registry.knows(id) || !Ids.valid(id)) {
                continue; // this run's own, or a mark nsscope did not make
            }
            int leader = e.getValue().get(0);
            if (mode == NsscopeProperties.OnStartup.ADOPT && adopt(id, leader, ttl)) {
                log.warn("adopted sandbox {} left by a previous run (PID {})", id, leader);
                continue;
            }
            log.warn("killing sandbox {} left by a previous run: PIDs {}", id, e.getValue());
            for (int pid : e.getValue()) {
                try (Fd fd = Linux.pidfdOpen(pid)) {
                    Reaping.killQuietly(fd);
                } catch (SyscallException ex) {
                    // exited meanwhile
                }
            }
        }
    }

    private boolean adopt(String id, int leader, Duration ttl) {
        if (!slots.tryAcquire()) {
            return false;
        }
        Fd pidfd;
        try {
            pidfd = Linux.pidfdOpen(leader);
        } catch (SyscallException e) {
            slots.release();
            return false;
        }
        Path dir = proc.resolve(Integer.toString(leader));
        long uid = Inspect.uid(dir);
        if (uid > 0 && pool.contains(uid, 1)) {
            try {
                pool.take(id, List.of(new IdMap(0, uid, 1)));
            } catch (UidRangeInUseException e) {
                // shared with another leftover: keep tracking it anyway
            }
        }
        boolean ownPidNs = !link(dir.resolve("ns/pid")).equals(link(proc.resolve("self/ns/pid")));
        Instant now = Instant.now();
        Sandbox made = new Sandbox(id, leader, Inspect.nspid(dir, leader), Inspect.namespaces(dir), List.of(), null,
                null, null, uid, SandboxState.RUNNING, null, null, now, now.plus(ttl), null, List.of(), true);
        tracking.adopt(made, pidfd, ownPidNs);
        return true;
    }

    private static String link(Path path) {
        try {
            return Files.readSymbolicLink(path).toString();
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
