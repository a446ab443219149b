package io.nsscope.scan;

import io.nsscope.namespace.NamespaceLink;
import io.nsscope.process.Container;
import io.nsscope.process.ProcessInfo;
import io.nsscope.procfs.Cmdline;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.Passwd;
import io.nsscope.procfs.ProcCgroup;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcStat;
import io.nsscope.procfs.ProcStatus;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a process's own files into a {@link ProcessInfo}: {@code stat}, {@code cmdline}, the owner of
 * {@code /proc/PID}, the {@code ns/} links, {@code status} (NSpid) and {@code cgroup}; all of them for a process
 * seen for the first time, or only those that can have changed for one read before.
 *
 * <p>A file the kernel denies is left out and the process marked unreadable; a process that exits meanwhile is thrown
 * as {@link io.nsscope.procfs.ProcessVanishedException}, whatever errno its file gave ({@link ProcFs} tells).
 */
final class ProcessFiles {

    /**
     * How many distinct {@code cgroup} texts {@link #containers} keeps: more than a node has cgroups with processes in
     * them, as a rule; past it the map starts over.
     */
    static final int CGROUP_TEXTS = 1024;

    private final ProcFs procFs;
    /**
     * The container of each distinct {@code cgroup} text read (empty: none), which is a function of the text alone.
     * Most processes share a few texts (every process of a container or of a systemd unit has the same), so a scan
     * parses each once instead of once per process (the parsing was most of what a first scan allocated at 10,000
     * processes), and processes in one cgroup share one {@link Container}.
     */
    private final Map<String, Optional<Container>> containers = new ConcurrentHashMap<>();

    ProcessFiles(ProcFs procFs) {
        this.procFs = procFs;
    }

    /** A process of which nothing but the PID can be known: counted, with no namespaces. */
    static ProcessInfo unreadable(int pid) {
        return new ProcessInfo(pid, 0, '?', "", "", null, null, List.of(), Map.of(), false, 0, true, null, 0);
    }

    /** Reads {@code stat}; null if it is denied (nothing but the PID can then be known). */
    ProcStat stat(int pid) throws IOException {
        try {
            return ProcStat.read(procFs, pid);
        } catch (AccessDeniedException e) {
            return null;
        }
    }

    /**
     * Reads every file of the process but {@code stat}, given. Its NSpid is its PID when it is in the procfs's own PID
     * namespace ({@code procfsPidNs}), else that of {@code before} if that was the same process (PID and start time:
     * NSpid never changes), else read from {@code status}.
     *
     * @return the process, and its {@code ns/} links as read
     */
    Read whole(int pid, ProcStat stat, Passwd users, Long procfsPidNs, ProcessInfo before) throws IOException {
        Denied denied = new Denied();
        String command = command(pid, stat, denied);
        Integer uid = owner(pid, denied);
        NamespaceLinks links = NamespaceLinks.read(procFs, pid);
        List<Integer> nspid;
        Long pidNs = links.inodes().get(NamespaceLink.PID);
        if (procfsPidNs != null && procfsPidNs.equals(pidNs)) {
            nspid = List.of(pid);
        } else if (before != null
                && before.startTime() == stat.startTime()
                && !before.nspid().isEmpty()) {
            nspid = before.nspid(); // the same process as last scan (PID and start time): its NSpid never changes
        } else {
            nspid = nspid(pid, denied);
        }
        Container container = container(pid, denied);
        return new Read(info(pid, stat, command, uid, users, nspid, links, denied.any, container), links, denied.any);
    }

    /** NSpid from {@code status}; empty, and the process partly denied, if {@code status} is. */
    private List<Integer> nspid(int pid, Denied denied) throws IOException {
        try {
            return ProcStatus.read(procFs, pid).nspid();
        } catch (AccessDeniedException e) {
            denied.any = true;
            return List.of();
        }
    }

    /**
     * Reads again what a process read before can have changed by running: {@code stat} (given), {@code cmdline}, its
     * owner, {@code cgroup}, and its {@code ns/} links if {@code links} is null (only its first thread can change
     * them). NSpid never changes: it is read again only if {@code status} was denied before (empty NSpid).
     */
    Read again(Read before, ProcStat stat, NamespaceLinks links, Passwd users) throws IOException {
        int pid = before.info().pid();
        Denied denied = new Denied();
        String command = command(pid, stat, denied);
        Integer uid = owner(pid, denied);
        NamespaceLinks read = links != null ? links : NamespaceLinks.read(procFs, pid);
        List<Integer> nspid = before.info().nspid().isEmpty()
                ? nspid(pid, denied)
                : before.info().nspid();
        Container container = container(pid, denied);
        return new Read(info(pid, stat, command, uid, users, nspid, read, denied.any, container), read, denied.any);
    }

    /** The same process with a new {@code stat} (its parent, state, name, threads), nothing else read. */
    Read withStat(Read before, ProcStat stat) {
        ProcessInfo p = before.info();
        return new Read(
                new ProcessInfo(
                        p.pid(),
                        stat.ppid(),
                        stat.state(),
                        stat.comm(),
                        p.command(),
                        p.uid(),
                        p.user(),
                        p.nspid(),
                        p.namespaces(),
                        stat.isKernelThread(),
                        stat.threads(),
                        p.unreadable(),
                        p.container(),
                        stat.startTime()),
                before.links(),
                before.filesDenied());
    }

    /** The same process with its {@code cgroup} read again (another process can move it without it running). */
    Read withCgroup(Read before) throws IOException {
        ProcessInfo p = before.info();
        Denied denied = new Denied();
        Container container = container(p.pid(), denied);
        if (denied.any == before.filesDenied() && java.util.Objects.equals(container, p.container())) {
            return before;
        }
        boolean filesDenied = before.filesDenied() || denied.any;
        return new Read(
                new ProcessInfo(
                        p.pid(),
                        p.ppid(),
                        p.state(),
                        p.comm(),
                        p.command(),
                        p.uid(),
                        p.user(),
                        p.nspid(),
                        p.namespaces(),
                        p.kernelThread(),
                        p.threads(),
                        filesDenied || before.links().denied(),
                        container,
                        p.startTime()),
                before.links(),
                filesDenied);
    }

    /** The same process with its UID named anew (the password database changed). */
    static Read renamed(Read before, Passwd users) {
        ProcessInfo p = before.info();
        String user = p.uid() == null ? null : users.nameOf(p.uid());
        if (java.util.Objects.equals(user, p.user())) {
            return before;
        }
        return new Read(
                new ProcessInfo(
                        p.pid(),
                        p.ppid(),
                        p.state(),
                        p.comm(),
                        p.command(),
                        p.uid(),
                        user,
                        p.nspid(),
                        p.namespaces(),
                        p.kernelThread(),
                        p.threads(),
                        p.unreadable(),
                        p.container(),
                        p.startTime()),
                before.links(),
                before.filesDenied());
    }

    private ProcessInfo info(
            int pid,
            ProcStat stat,
            String command,
            Integer uid,
            Passwd users,
            List<Integer> nspid,
            NamespaceLinks links,
            boolean denied,
            Container container) {
        return new ProcessInfo(
                pid,
                stat.ppid(),
                stat.state(),
                stat.comm(),
                command,
                uid,
                uid == null ? null : users.nameOf(uid),
                nspid,
                links.inodes(),
                stat.isKernelThread(),
                stat.threads(),
                denied || links.denied(),
                container,
                stat.startTime());
    }

    private String command(int pid, ProcStat stat, Denied denied) throws IOException {
        try {
            return Cmdline.lsnsCommand(procFs.read(pid, "cmdline"), stat.comm());
        } catch (AccessDeniedException e) {
            denied.any = true;
            return stat.comm();
        }
    }

    private Integer owner(int pid, Denied denied) throws IOException {
        try {
            return procFs.ownerUid(pid);
        } catch (AccessDeniedException e) {
            denied.any = true;
            return null;
        }
    }

    private Container container(int pid, Denied denied) throws IOException {
        try {
            return container(procFs.read(pid, "cgroup"));
        } catch (AccessDeniedException e) {
            denied.any = true;
            return null;
        } catch (NoSuchFileException e) {
            return null; // a kernel without cgroups (the process is there: a vanished one is thrown as such)
        }
    }

    /** The container a {@code cgroup} text tells, parsed once per distinct text. */
    Container container(String cgroupText) {
        Optional<Container> known = containers.get(cgroupText);
        if (known == null) {
            known = Optional.ofNullable(
                    Container.fromCgroupPaths(ProcCgroup.parse(cgroupText).paths()));
            if (containers.size() >= CGROUP_TEXTS) {
                containers.clear();
            }
            containers.put(cgroupText, known);
        }
        return known.orElse(null);
    }

    /** Whether some file (other than the ns links) was denied. */
    private static final class Denied {
        boolean any;
    }

    /**
     * A process as read.
     *
     * @param info        the process
     * @param links       its {@code ns/} links, with whether some were denied
     * @param filesDenied whether some other file of it was denied
     */
    record Read(ProcessInfo info, NamespaceLinks links, boolean filesDenied) {}
}
