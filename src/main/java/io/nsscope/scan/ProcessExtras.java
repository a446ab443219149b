package io.nsscope.scan;

import io.nsscope.jna.Fd;
import io.nsscope.jna.FileStat;
import io.nsscope.jna.Linux;
import io.nsscope.jna.SyscallException;
import io.nsscope.namespace.Holder;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcessVanishedException;
import io.nsscope.process.LooseThread;
import io.nsscope.process.ProcessInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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

    ProcessExtras(ProcFs procFs, Sources sources) {
        this.procFs = procFs;
        this.sources = sources;
    }

    /**
     * Reads what the process holds. Its whole descriptor table is read when the sweep says so; otherwise only the
     * descriptors that held a namespace (or were sockets of another network namespace) at the last scan.
     *
     * @param nsfsDevice the nsfs filesystem's device ({@link ProcFs#nsfsDevice}), -1 if unknown
     */
    ProcessRead read(ProcessInfo info, DescriptorSweep sweep, long sequence, long nsfsDevice) throws IOException {
        List<LooseThread> loose = sources.threads() && info.threads() > 1 ? looseThreads(info) : List.of();
        List<NamespaceRef> nsFds = new ArrayList<>(0);
        List<SocketFd> sockets = new ArrayList<>(0);
        List<SocketHeld> held = new ArrayList<>(0);
        if (!sources.fds() && !sources.sockets()) {
            return new ProcessRead(info, loose, nsFds, sockets, held);
        }
        int pid = info.pid();
        if (sweep.readsWholeTable(info, sequence)) {
            descriptors(pid, nsfsDevice, nsFds, sockets);
        } else {
            for (NamespaceRef ref : sweep.lastSeen(info)) {
                FileStat st = fdStat(pid, ref.holder().fd());
                if (st != null && st.device() == nsfsDevice && st.inode() == ref.inode()) {
                    nsFds.add(ref);
                }
            }
            for (SocketHeld socket : sweep.lastSockets(info)) {
                FileStat st = fdStat(pid, socket.socket().fd());
                if (st != null && st.isSocket() && st.inode() == socket.socket().inode()) {
                    held.add(socket); // the same socket: its network namespace is fixed for its life
                }
            }
        }
        return new ProcessRead(info, loose, sources.fds() ? nsFds : List.of(),
                sources.sockets() ? sockets : List.of(), sources.sockets() ? held : List.of());
    }

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

    private List<LooseThread> looseThreads(ProcessInfo info) throws IOException {
        int pid = info.pid();
        int[] tids;
        try {
            tids = procFs.list(pid, "task");
        } catch (ProcessVanishedException e) {
            throw e;
        } catch (IOException e) {
            return List.of(); // denied, or an errno of a task list read while the process exits
        }
        List<LooseThread> loose = new ArrayList<>(0);
        for (int tid : tids) {
            if (tid == pid) {
                continue;
            }
            try {
                Map<NamespaceLink, Long> links = NamespaceLinks.readTask(procFs, pid, tid).inodes();
                List<NamespaceLink> differing = new ArrayList<>(0);
                links.forEach((link, inode) -> {
                    Long own = info.namespaces().get(link);
                    if (own != null && !own.equals(inode)) {
                        differing.add(link);
                    }
                });
                if (!differing.isEmpty()) {
                    String comm = procFs.read(pid, "task/" + tid + "/comm").strip();
                    loose.add(new LooseThread(tid, pid, comm, links, differing));
                }
            } catch (ProcessVanishedException e) {
                if (!procFs.exists(pid)) {
                    throw e; // the whole process went
                }
                // only this thread is exiting (ESRCH): not reported
            } catch (IOException e) {
                // The thread ended after the listing, or hides its links: it is not reported.
            }
        }
        return loose;
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
            FileStat st = fdStat(pid, fd);
            if (st == null) {
                continue; // closed since the listing
            }
            if (st.device() == nsfsDevice) {
                if (sources.fds()) {
                    Optional<NamespaceType> type = namespaceType(pid, fd, st.inode());
                    type.ifPresent(t -> nsFds.add(new NamespaceRef(t, st.inode(), Holder.fd(Holder.Kind.FD, pid, fd),
                            NamespaceOpener.of(fdPath(pid, fd)))));
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
        try (Fd ns = Linux.open(fdPath(pid, fd))) {
            if (Linux.inode(ns) != inode) {
                return Optional.empty();
            }
            int flag = Linux.namespaceType(ns);
            for (NamespaceType t : NamespaceType.values()) {
                if (Linux.cloneFlag(t) == flag) {
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
