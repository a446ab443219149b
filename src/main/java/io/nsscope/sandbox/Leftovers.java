package io.nsscope.sandbox;

import io.nsscope.config.NsscopeProperties;
import io.nsscope.jna.Fd;
import io.nsscope.jna.Linux;
import io.nsscope.jna.SyscallException;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcessVanishedException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes a previous run of nsscope left running (it crashed, or was killed): found by their cgroup leaves below
 * the parent and by the {@code NSSCOPE_SANDBOX_ID} mark in their processes' environment, then killed or adopted.
 * No orphan survives a restart unnoticed: each is logged.
 */
final class Leftovers {

    private static final Logger log = LoggerFactory.getLogger(Leftovers.class);
    private static final Duration LEAF_WAIT = Duration.ofSeconds(5);

    private final ProcFs proc;
    private final SandboxCgroups cgroups;
    private final Registry registry;
    private final Tracking tracking;
    private final UidPool pool;
    private final Semaphore slots;

    Leftovers(ProcFs proc, SandboxCgroups cgroups, Registry registry, Tracking tracking, UidPool pool,
            Semaphore slots) {
        this.proc = proc;
        this.cgroups = cgroups;
        this.registry = registry;
        this.tracking = tracking;
        this.pool = pool;
        this.slots = slots;
    }

    void recover(NsscopeProperties.OnStartup mode, Duration ttl) {
        Map<String, List<Integer>> marked = Reaping.marked(proc);
        for (CgroupLeaf leaf : cgroups.leaves()) {
            String id = leaf.dir().getFileName().toString();
            List<Integer> pids = marked.remove(id);
            if (registry.knows(id)) {
                continue;
            }
            int leader = lowest(pids, leaf);
            if (mode == NsscopeProperties.OnStartup.ADOPT && leader > 0 && adopt(id, leader, leaf, ttl)) {
                log.warn("adopted sandbox {} left by a previous run (PID {})", id, leader);
                continue;
            }
            log.warn("killing sandbox {} left by a previous run: its cgroup {}", id, leaf.dir());
            if (!leaf.killAndRemove(LEAF_WAIT)) {
                log.warn("sandbox {}: its cgroup {} is still populated after cgroup.kill", id, leaf.dir());
            }
        }
        marked.forEach((id, pids) -> {
            if (registry.knows(id) || !Ids.valid(id)) {
                return; // this run's own, or a mark nsscope did not make
            }
            if (mode == NsscopeProperties.OnStartup.ADOPT && adopt(id, pids.get(0), null, ttl)) {
                log.warn("adopted sandbox {} left by a previous run (PID {})", id, pids.get(0));
                return;
            }
            log.warn("killing sandbox {} left by a previous run: PIDs {}", id, pids);
            for (int pid : pids) {
                try (Fd fd = Linux.pidfdOpen(pid)) {
                    Reaping.killQuietly(fd);
                } catch (SyscallException e) {
                    log.debug("sandbox {}: PID {} exited meanwhile", id, pid);
                }
            }
        });
    }

    private boolean inOwnPidNamespace(int pid) {
        try {
            Long theirs = NamespaceLinks.read(proc, pid).inodes().get(NamespaceLink.PID);
            Long ours = NamespaceLinks.read(proc, (int) ProcessHandle.current().pid()).inodes().get(NamespaceLink.PID);
            return theirs != null && !theirs.equals(ours);
        } catch (IOException | ProcessVanishedException e) {
            return false;
        }
    }

    /** The lowest marked PID, else the lowest PID in the leaf, else 0. */
    private static int lowest(List<Integer> marked, CgroupLeaf leaf) {
        if (marked != null && !marked.isEmpty()) {
            return marked.get(0);
        }
        try {
            List<Integer> pids = new ArrayList<>();
            for (String line : Files.readAllLines(leaf.dir().resolve("cgroup.procs"))) {
                pids.add(Integer.parseInt(line.trim()));
            }
            return pids.stream().mapToInt(Integer::intValue).min().orElse(0);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private boolean adopt(String id, int leader, CgroupLeaf leaf, Duration ttl) {
        if (leaf == null && !inOwnPidNamespace(leader)) {
            return false; // without a cgroup or a pid namespace its end could not take all of it along: killed
        }
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
        long uid = Inspect.uid(proc, leader);
        if (uid > 0 && pool.contains(uid, 1)) {
            try {
                pool.take(id, List.of(new IdMap(0, uid, 1)));
            } catch (UidRangeInUseException e) {
                log.warn("adopted sandbox {} shares UID {} with another leftover", id, uid);
            }
        }
        Instant now = Instant.now();
        Sandbox made = new Sandbox(id, leader, Inspect.nspid(proc, leader), Inspect.namespaces(proc, leader),
                List.of(), null, null, null, uid, SandboxState.RUNNING, null, null, now, now.plus(ttl), null,
                List.of(), true);
        tracking.adopt(made, pidfd, leaf);
        return true;
    }
}
