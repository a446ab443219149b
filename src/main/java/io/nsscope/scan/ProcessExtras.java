package io.nsscope.scan;

import io.nsscope.namespace.Holder;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcessVanishedException;
import io.nsscope.process.LooseThread;
import io.nsscope.process.ProcessInfo;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what a process holds besides its own namespaces: threads in other namespaces ({@code task/<tid>/ns/}) and
 * descriptors of namespace files or sockets ({@code fd/}). Both are optional sources ({@link Sources}).
 *
 * <p>Races: a thread or descriptor that goes away between listing and reading is skipped (threads end and files
 * close all the time). A denied {@code fd/} or {@code task/} (another user's process when not root) leaves that
 * source out for the process: its own namespaces are known, only what it holds is not.
 */
final class ProcessExtras {

    private final ProcFs procFs;
    private final Sources sources;

    ProcessExtras(ProcFs procFs, Sources sources) {
        this.procFs = procFs;
        this.sources = sources;
    }

    /**
     * Reads what the process holds. Its whole descriptor table is read when the sweep says so or sockets are a
     * source (they need every descriptor); otherwise only the descriptors that held a namespace at the last scan.
     */
    ProcessRead read(ProcessInfo info, DescriptorSweep sweep, long sequence) throws IOException {
        List<LooseThread> loose = sources.threads() && info.threads() > 1 ? looseThreads(info) : List.of();
        List<NamespaceRef> nsFds = new ArrayList<>(0);
        List<Integer> sockets = new ArrayList<>(0);
        if (sources.sockets() || (sources.fds() && sweep.readsWholeTable(info, sequence))) {
            descriptors(info.pid(), nsFds, sockets);
        } else if (sources.fds()) {
            for (NamespaceRef ref : sweep.lastSeen(info)) {
                if (stillHeld(info.pid(), ref)) {
                    nsFds.add(ref);
                }
            }
        }
        return new ProcessRead(info, loose, sources.fds() ? nsFds : List.of(), sockets);
    }

    /** Whether the descriptor still refers to the same namespace. */
    private boolean stillHeld(int pid, NamespaceRef ref) throws IOException {
        try {
            return procFs.readLink(pid, "fd/" + ref.holder().fd())
                    .equals(ref.type().kernelName() + ":[" + ref.inode() + "]");
        } catch (NoSuchFileException | AccessDeniedException e) {
            return false; // closed since
        }
    }

    private List<LooseThread> looseThreads(ProcessInfo info) throws IOException {
        int pid = info.pid();
        int[] tids;
        try {
            tids = procFs.list(pid, "task");
        } catch (AccessDeniedException e) {
            return List.of();
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
            } catch (NoSuchFileException | AccessDeniedException e) {
                // The thread ended after the listing, or hides its links: it is not reported.
            } catch (ProcessVanishedException e) {
                if (!procFs.exists(pid)) {
                    throw e; // the whole process went
                }
                // only this thread is exiting (ESRCH): not reported
            }
        }
        return loose;
    }

    private void descriptors(int pid, List<NamespaceRef> nsFds, List<Integer> sockets) throws IOException {
        int[] fds;
        try {
            fds = procFs.list(pid, "fd");
        } catch (AccessDeniedException e) {
            return;
        }
        for (int fd : fds) {
            String target;
            try {
                target = procFs.readLink(pid, "fd/" + fd);
            } catch (NoSuchFileException | AccessDeniedException e) {
                continue; // closed since the listing
            }
            if (target.startsWith("socket:[")) {
                sockets.add(fd);
                continue;
            }
            int bracket = target.indexOf(":[");
            if (bracket <= 0 || !target.endsWith("]") || target.charAt(0) == '/') {
                continue;
            }
            Optional<NamespaceType> type = NamespaceType.fromKernelName(target.substring(0, bracket));
            if (type.isPresent()) {
                long inode = NamespaceLinks.parseTarget(NamespaceLink.of(type.get()), target);
                nsFds.add(new NamespaceRef(type.get(), inode, Holder.fd(Holder.Kind.FD, pid, fd),
                        procFs.pidDir(pid).resolve("fd").resolve(Integer.toString(fd))));
            }
        }
    }
}
