package io.nsscope.scan;

import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Fd;
import io.nsscope.jna.FileStat;
import io.nsscope.jna.NamespaceFiles;
import io.nsscope.jna.SyscallException;
import io.nsscope.namespace.Holder;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.LooseThread;
import io.nsscope.process.ProcessInfo;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcessVanishedException;
import io.nsscope.procfs.SchedStatFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what a process holds besides its own namespaces: threads in other namespaces ({@code task/<tid>/ns/}) and
 * descriptors of namespace files or sockets ({@code fd/}). Each is an optional source ({@link Sources}).
 *
 * <p>A descriptor is a namespace file when the open file is on the nsfs device, as {@code lsns} 2.42 tells it
 * ({@code st_dev} of {@code stat(/proc/PID/fd/N)}), however it was opened: {@code /proc/PID/ns/net} (its link reads
 * {@code net:[N]}), or a bind mount opened as a regular file ({@code exec 4< /run/netns/X}: its link reads a path, or
 * {@code /} once the mount is gone, and the type is asked with {@code NS_GET_NSTYPE}).
 *
 * <p>Races: a thread or descriptor that goes away between listing and reading is skipped, whatever errno the kernel
 * gives (threads end and files close all the time). A denied {@code fd/} or {@code task/} (another user's process
 * when not root) leaves that source out for the process: its own namespaces are known, only what it holds is not.
 */
final class ProcessExtras {

    private final ProcFs procFs;
    private final Sources sources;
    /** The counters' files nsscope holds: in its own table, descriptors not to stat. */
    private final SchedStatFiles counters;

    ProcessExtras(ProcFs procFs, Sources sources, SchedStatFiles counters) {
        this.procFs = procFs;
        this.sources = sources;
        this.counters = counters;
    }

    /** Whether descriptors are read at all (the fds or the sockets source). */
    boolean readsDescriptors() {
        return sources.fds() || sources.sockets();
    }

    /**
     * What a process holds, as far as the last scan's knowledge and its counters say it must be read.
     *
     * @param before      what the last scan knew of this same process (PID and start time), null for one seen for
     *                    the first time: then everything is read
     * @param now         its counters at this scan (read before anything else of it)
     * @param sweepTurn   whether this scan is the process's turn to have its descriptor table read whole
     *                    ({@link DescriptorSweep})
     * @param nsfsDevice  the nsfs filesystem's device ({@link ProcFs#nsfsDevice}), -1 if unknown
     */
    Extras read(ProcessInfo info, Known before, Activity now, boolean sweepTurn, long nsfsDevice) throws IOException {
        List<LooseThread> loose = new ArrayList<>(0);
        Map<Integer, ThreadSeen> threads =
                sources.threads() && !now.others().isEmpty() ? threads(info, before, now, loose) : Map.of();
        if (!sources.fds() && !sources.sockets()) {
            return new Extras(loose, threads, List.of(), List.of(), List.of(), null);
        }
        List<NamespaceRef> nsFds = new ArrayList<>(0);
        List<SocketFd> sockets = new ArrayList<>(0);
        List<SocketHeld> held = new ArrayList<>(0);
        int pid = info.pid();
        Activity atTable;
        boolean tableMayDiffer = before == null || !now.sameAs(before.atTable());
        if (before == null || (sweepTurn && tableMayDiffer)) {
            descriptors(pid, nsfsDevice, nsFds, sockets);
            atTable = now;
        } else if (!now.sameAs(before.activity())) {
            // it ran since the last scan: the descriptors that held something are checked again
            atTable = before.atTable();
            for (NamespaceRef ref : before.read().namespaceFds()) {
                FileStat st = fdStat(pid, ref.holder().fd());
                if (st != null && st.device() == nsfsDevice && st.inode() == ref.inode()) {
                    nsFds.add(ref);
                }
            }
            for (SocketHeld socket : before.read().socketsHeld()) {
                FileStat st = fdStat(pid, socket.socket().fd());
                if (st != null && st.isSocket() && st.inode() == socket.socket().inode()) {
                    held.add(socket); // the same socket: its network namespace is fixed for its life
                }
            }
        } else {
            // no thread of it ran: its descriptor table is the one the last scan saw
            atTable = before.atTable();
            nsFds.addAll(before.read().namespaceFds());
            held.addAll(before.read().socketsHeld());
        }
        return new Extras(
                loose,
                threads,
                sources.fds() ? nsFds : List.of(),
                sources.sockets() ? sockets : List.of(),
                sources.sockets() ? held : List.of(),
                atTable);
    }

    /**
     * What a process's descriptors and threads showed.
     *
     * @param looseThreads its threads in other namespaces
     * @param threads      what each of its threads but the first showed, by thread ID
     * @param namespaceFds the namespaces its descriptors refer to
     * @param socketFds    its sockets to ask for their network namespace (those of a table read whole)
     * @param socketsHeld  the foreign network namespaces its sockets held at the last scan, still held
     * @param atTable      its counters when its descriptor table was last read whole (null: never)
     */
    record Extras(
            List<LooseThread> looseThreads,
            Map<Integer, ThreadSeen> threads,
            List<NamespaceRef> namespaceFds,
            List<SocketFd> socketFds,
            List<SocketHeld> socketsHeld,
            Activity atTable) {}

    /** The open file behind {@code fd/N}, or null if the descriptor cannot be stat'ed (closed since, denied...). */
    private FileStat fdStat(int pid, int fd) throws IOException {
        try {
            return procFs.stat(pid, "fd/" + fd);
        } catch (ProcessVanishedException e) {
            throw e;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The links of each thread but the first (listed in {@code now}): read again for a thread that ran since the last
     * scan or was not there, else as the last scan saw them. A thread whose links differ from its process's is loose.
     */
    private Map<Integer, ThreadSeen> threads(ProcessInfo info, Known before, Activity now, List<LooseThread> loose)
            throws IOException {
        int pid = info.pid();
        Map<Integer, ThreadSeen> seen = new HashMap<>(now.others().size() * 2);
        for (int tid : now.others().keySet()) {
            ThreadSeen last = before == null ? null : before.threads().get(tid);
            boolean ran = last == null || now.threadRanSince(before.activity(), tid);
            try {
                Map<NamespaceLink, Long> links =
                        ran ? NamespaceLinks.readTask(procFs, pid, tid).inodes() : last.links();
                List<NamespaceLink> differing = new ArrayList<>(0);
                links.forEach((link, inode) -> {
                    Long own = info.namespaces().get(link);
                    if (own != null && !own.equals(inode)) {
                        differing.add(link);
                    }
                });
                String comm = null;
                if (!differing.isEmpty()) {
                    comm = !ran && last.comm() != null
                            ? last.comm()
                            : procFs.read(pid, "task/" + tid + "/comm").strip();
                    loose.add(new LooseThread(tid, pid, comm, links, differing));
                }
                // most threads are where their process is: its map is kept rather than a copy
                seen.put(tid, new ThreadSeen(links.equals(info.namespaces()) ? info.namespaces() : links, comm));
            } catch (ProcessVanishedException e) {
                if (!procFs.exists(pid)) {
                    throw e; // the whole process went
                }
                // only this thread is exiting (ESRCH): not reported
            } catch (IOException e) {
                // The thread ended after the listing, or hides its links: it is not reported.
            }
        }
        return seen;
    }

    private void descriptors(int pid, long nsfsDevice, List<NamespaceRef> nsFds, List<SocketFd> sockets)
            throws IOException {
        int[] fds;
        try {
            fds = procFs.list(pid, "fd");
        } catch (ProcessVanishedException e) {
            throw e;
        } catch (IOException e) {
            return; // denied: what the process holds stays unknown
        }
        for (int fd : fds) {
            if (counters.heldBy(pid, fd)) {
                continue; // nsscope's own counters file: procfs, neither a namespace nor a socket
            }
            FileStat st = fdStat(pid, fd);
            if (st == null) {
                continue; // closed since the listing
            }
            if (st.device() == nsfsDevice) {
                if (sources.fds()) {
                    Optional<NamespaceType> type = namespaceType(pid, fd, st.inode());
                    type.ifPresent(t -> nsFds.add(new NamespaceRef(
                            t, st.inode(), Holder.fd(Holder.Kind.FD, pid, fd), NamespaceOpener.of(fdPath(pid, fd)))));
                }
            } else if (st.isSocket() && sources.sockets()) {
                sockets.add(new SocketFd(fd, st.inode()));
            }
        }
    }

    /**
     * The type of the namespace a descriptor refers to: from its link ({@code net:[N]}) when the file was opened
     * through {@code /proc/PID/ns/}, else asked of the kernel ({@code NS_GET_NSTYPE}); empty if the descriptor no
     * longer refers to that namespace.
     */
    private Optional<NamespaceType> namespaceType(int pid, int fd, long inode) throws IOException {
        String target;
        try {
            target = procFs.readLink(pid, "fd/" + fd);
        } catch (ProcessVanishedException e) {
            throw e;
        } catch (IOException e) {
            return Optional.empty();
        }
        int bracket = target.indexOf(":[");
        if (bracket > 0 && target.charAt(0) != '/' && target.endsWith("]")) {
            Optional<NamespaceType> type = NamespaceType.fromKernelName(target.substring(0, bracket));
            if (type.isPresent()) {
                long linked = NamespaceLinks.parseTarget(NamespaceLink.of(type.get()), target);
                return linked == inode ? type : Optional.empty();
            }
        }
        try (Fd ns = Descriptors.open(fdPath(pid, fd))) {
            if (Descriptors.inode(ns) != inode) {
                return Optional.empty();
            }
            int flag = NamespaceFiles.namespaceType(ns);
            for (NamespaceType t : NamespaceType.values()) {
                if (t.cloneFlag() == flag) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        } catch (SyscallException e) {
            return Optional.empty(); // closed or replaced since: not a namespace this scan can name
        }
    }

    private Path fdPath(int pid, int fd) {
        return procFs.pidDir(pid).resolve("fd").resolve(Integer.toString(fd));
    }
}
