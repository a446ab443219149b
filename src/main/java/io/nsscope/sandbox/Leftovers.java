package io.nsscope.sandbox;

import io.nsscope.config.NsscopeProperties;
import io.nsscope.jna.Fd;
import io.nsscope.jna.Processes;
import io.nsscope.jna.SyscallException;
import io.nsscope.namespace.IdRange;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcStatus;
import io.nsscope.procfs.ProcessVanishedException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes a previous run of nsscope left running (it crashed, or was killed), killed or adopted at startup. With
 * cgroups they are found by their leaves below the parent, which only root can put a process in: every process in a
 * leaf is that sandbox's, and its lowest PID its first. Without cgroups, every sandbox has a pid namespace and is
 * found by the {@code NSSCOPE_SANDBOX_ID} mark of its PID 1, checked again through a pidfd before it is signalled.
 * The ids a leftover's processes use stay out of the pool anyway ({@link HostIds}). Each one is logged.
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

    Leftovers(
            ProcFs proc, SandboxCgroups cgroups, Registry registry, Tracking tracking, UidPool pool, Semaphore slots) {
        this.proc = proc;
        this.cgroups = cgroups;
        this.registry = registry;
        this.tracking = tracking;
        this.pool = pool;
        this.slots = slots;
    }

    void recover(NsscopeProperties.OnStartup mode, Duration ttl) {
        boolean adopt = mode == NsscopeProperties.OnStartup.ADOPT;
        if (cgroups.unusable() == null) {
            for (CgroupLeaf leaf : cgroups.leaves()) {
                String id = leaf.dir().getFileName().toString();
                if (registry.knows(id)) {
                    continue;
                }
                List<Integer> pids = leaf.pids();
                if (adopt && !pids.isEmpty() && adopt(id, pids.get(0), leaf, pids, ttl)) {
                    continue;
                }
                log.warn("killing sandbox {} left by a previous run: its cgroup {}, PIDs {}", id, leaf.dir(), pids);
                if (!leaf.killAndRemove(LEAF_WAIT)) {
                    log.warn("sandbox {}: its cgroup {} is still populated after cgroup.kill", id, leaf.dir());
                }
            }
            return;
        }
        for (Map.Entry<String, List<Integer>> e : Reaping.marked(proc).entrySet()) {
            String id = e.getKey();
            int leader = e.getValue().get(0);
            if (registry.knows(id) || !Ids.valid(id) || !pidNamespaceLeader(leader)) {
                continue; // this run's own, a mark nsscope did not make, or not the PID 1 of a pid namespace
            }
            try (Fd pidfd = Processes.pidfdOpen(leader)) {
                if (!id.equals(Reaping.markOf(proc, leader))) {
                    continue; // exited, and its PID reused, since it was listed
                }
                if (adopt && adopt(id, leader, null, List.of(leader), ttl)) {
                    continue;
                }
                log.warn("killing sandbox {} left by a previous run: PID {} and its pid namespace", id, leader);
                Reaping.killQuietly(pidfd);
            } catch (SyscallException ex) {
                log.debug("sandbox {}: PID {} exited meanwhile", id, leader);
            }
        }
    }

    /** Whether the process is PID 1 of a pid namespace other than nsscope's. */
    private boolean pidNamespaceLeader(int pid) {
        try {
            List<Integer> nspid = ProcStatus.read(proc, pid).nspid();
            Long theirs = NamespaceLinks.read(proc, pid).inodes().get(NamespaceLink.PID);
            Long ours = NamespaceLinks.read(proc, (int) ProcessHandle.current().pid())
                    .inodes()
                    .get(NamespaceLink.PID);
            return nspid.size() > 1 && nspid.get(nspid.size() - 1) == 1 && theirs != null && !theirs.equals(ours);
        } catch (IOException | ProcessVanishedException e) {
            return false;
        }
    }

    private boolean adopt(String id, int leader, CgroupLeaf leaf, List<Integer> pids, Duration ttl) {
        if (!slots.tryAcquire()) {
            return false;
        }
        Fd pidfd;
        try {
            pidfd = Processes.pidfdOpen(leader);
        } catch (SyscallException e) {
            slots.release();
            return false;
        }
        if (leaf != null && !leaf.pids().contains(leader)) {
            pidfd.close(); // exited, and its PID reused, since the leaf was read
            slots.release();
            return false;
        }
        TreeSet<Long> uids = new TreeSet<>();
        for (int pid : pids) {
            long uid = Inspect.uid(proc, pid);
            if (uid > 0 && pool.contains(uid, 1)) {
                uids.add(uid);
            }
        }
        try {
            pool.take(id, uids.stream().map(u -> new IdRange(0, u, 1)).toList(), HostIds.none());
        } catch (UidRangeInUseException e) {
            log.warn("adopted sandbox {} shares a UID of {} with another leftover", id, uids);
        }
        long uid = uids.isEmpty() ? -1 : uids.first();
        Instant now = Instant.now();
        Sandbox made = new Sandbox(
                id,
                leader,
                Inspect.nspid(proc, leader),
                Inspect.namespaces(proc, leader),
                List.of(),
                null,
                null,
                null,
                uid,
                SandboxState.RUNNING,
                null,
                null,
                now,
                now.plus(ttl),
                null,
                List.of(),
                true);
        tracking.adopt(made, pidfd, leaf);
        log.warn("adopted sandbox {} left by a previous run (PID {})", id, leader);
        return true;
    }
}
