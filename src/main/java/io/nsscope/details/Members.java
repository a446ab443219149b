package io.nsscope.details;

import io.nsscope.jna.Errno;
import io.nsscope.jna.SyscallException;
import io.nsscope.namespace.Namespace;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.process.ProcessInfo;
import io.nsscope.procfs.NamespaceLinks;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcessVanishedException;
import io.nsscope.scan.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a process the details are read through is still a member of the namespace: its {@code ns/<type>} link is
 * checked before and after each read, and a failure that means the process exited or left is told apart from one
 * that means the read itself failed, so the service tries the next member only in the first case.
 */
final class Members {

    private final ProcFs procFs;

    Members(ProcFs procFs) {
        this.procFs = procFs;
    }

    /** The processes whose time_for_children is the namespace: the members first, then any other. */
    static List<Integer> timeCandidates(Namespace ns, Snapshot snapshot) {
        Set<Integer> pids = new LinkedHashSet<>();
        for (int pid : ns.pids()) {
            snapshot.process(pid)
                    .filter(p -> isIn(p, NamespaceLink.TIME_FOR_CHILDREN, ns.inode()))
                    .ifPresent(p -> pids.add(p.pid()));
        }
        for (ProcessInfo p : snapshot.processes()) {
            if (isIn(p, NamespaceLink.TIME_FOR_CHILDREN, ns.inode())) {
                pids.add(p.pid());
            }
        }
        return List.copyOf(pids);
    }

    private static boolean isIn(ProcessInfo p, NamespaceLink link, long inode) {
        Long value = p.namespaces().get(link);
        return value != null && value == inode;
    }

    /** Throws {@link ProcessVanishedException} unless the process's link still points to the namespace. */
    void requireIn(int pid, NamespaceLink link, long inode) {
        try {
            long now = NamespaceLinks.parseTarget(link, procFs.readLink(pid, "ns/" + link.fileName()));
            if (now != inode) {
                throw new ProcessVanishedException(
                        pid, new NamespaceAccess.NamespaceChangedException("ns/" + link.fileName() + " is now " + now));
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // A zombie (or an exiting process) has no namespace links any more.
            throw new ProcessVanishedException(pid, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a failure means the process is gone (or no longer in the namespace): try the next one. */
    boolean gone(int pid, Throwable e) {
        Throwable t = e;
        while ((t instanceof UncheckedIOException || t instanceof IllegalStateException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ProcessVanishedException || t instanceof NamespaceAccess.NamespaceChangedException) {
            return true;
        }
        if (t instanceof SyscallException s && (s.errno() == Errno.ENOENT || s.errno() == Errno.ESRCH)) {
            return !procFs.exists(pid);
        }
        if (t instanceof java.nio.file.NoSuchFileException) {
            // An exiting process keeps its directory a moment after it lost its namespaces (and /proc/PID/net).
            return !procFs.exists(pid) || !linkReadable(pid);
        }
        return false;
    }

    /** Whether the process still has namespace links (an exiting one loses them all at once). */
    private boolean linkReadable(int pid) {
        try {
            procFs.readLink(pid, "ns/net");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
