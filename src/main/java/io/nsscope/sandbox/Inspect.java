package io.nsscope.sandbox;

import io.nsscope.namespace.IdRange;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcStatus;
import io.nsscope.procfs.ProcessVanishedException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a started sandbox is, read from its {@code /proc/PID} through {@code procfs}; and the environment it gets. */
final class Inspect {

    private static final Logger log = LoggerFactory.getLogger(Inspect.class);

    static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Inspect() {}

    static Sandbox made(
            ProcFs proc, String id, int pid, SandboxSpec spec, LaunchPlan plan, Instant createdAt, Instant expiresAt) {
        List<IdRange> maps = plan.user() == null ? null : plan.idMaps();
        return new Sandbox(
                id,
                pid,
                nspid(proc, pid),
                namespaces(proc, pid),
                Tracked.names(spec.namespaces()),
                spec.hostname(),
                maps,
                maps,
                plan.hostUid(),
                SandboxState.RUNNING,
                null,
                null,
                createdAt,
                expiresAt,
                null,
                List.copyOf(spec.command()),
                false);
    }

    /**
     * The inode of each namespace of {@code /proc/PID}, by type name; empty if the process is already gone (a
     * command that ended at once), which the sandbox's state then says.
     */
    static Map<String, Long> namespaces(ProcFs proc, int pid) {
        Map<String, Long> inodes = new LinkedHashMap<>();
        try {
            Map<NamespaceLink, Long> links = NamespaceLinks.read(proc, pid).inodes();
            for (NamespaceType type : NamespaceType.values()) {
                Long inode = links.get(NamespaceLink.of(type));
                if (inode != null) {
                    inodes.put(type.kernelName(), inode);
                }
            }
        } catch (ProcessVanishedException e) {
            return inodes;
        } catch (IOException e) {
            log.warn("cannot read the namespaces of sandbox process {}: {}", pid, e.getMessage());
        }
        return inodes;
    }

    /** {@code NSpid} of {@code /proc/PID/status}: the PID in each pid namespace, outermost first; gone: just pid. */
    static List<Integer> nspid(ProcFs proc, int pid) {
        try {
            List<Integer> nspid = ProcStatus.read(proc, pid).nspid();
            return nspid.isEmpty() ? List.of(pid) : nspid;
        } catch (ProcessVanishedException e) {
            return List.of(pid);
        } catch (IOException e) {
            log.warn("cannot read NSpid of sandbox process {}: {}", pid, e.getMessage());
            return List.of(pid);
        }
    }

    /** The effective UID of {@code /proc/PID/status}, or -1 if gone. */
    static long uid(ProcFs proc, int pid) {
        try {
            List<Integer> uids = ProcStatus.read(proc, pid).uids();
            return uids.size() < 2 ? -1 : Integer.toUnsignedLong(uids.get(1));
        } catch (ProcessVanishedException e) {
            return -1;
        } catch (IOException e) {
            log.warn("cannot read the UIDs of process {}: {}", pid, e.getMessage());
            return -1;
        }
    }

    /** The request's variables, a minimal PATH unless it gives one, and the mark. Nothing of nsscope's own. */
    static List<String> environment(Map<String, String> env, String id) {
        List<String> out = new ArrayList<>();
        if (env == null || !env.containsKey("PATH")) {
            out.add(PATH);
        }
        if (env != null) {
            env.forEach((k, v) -> out.add(k + "=" + v));
        }
        out.add(Reaping.MARK + "=" + id);
        return out;
    }
}
