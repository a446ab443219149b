package io.nsscope.procfs;

import io.nsscope.namespace.LinkInodes;
import io.nsscope.namespace.NamespaceLink;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The targets of the links in {@code /proc/<pid>/ns/} (namespaces(7)): for each link that could be read, the
 * inode number of the namespace it points to ({@code net:[4026531992]} → 4026531992), the number {@code lsns}
 * shows as NS.
 *
 * @param inodes the inode per link; a link that is absent (an older kernel, a zombie) is missing from the map
 * @param denied whether some link could not be read for lack of permission
 */
public record NamespaceLinks(Map<NamespaceLink, Long> inodes, boolean denied) {

    public NamespaceLinks {
        // Compact, and shared with the ProcessInfo made from it (docs/image.md, "Memory at 10,000 processes").
        inodes = LinkInodes.copyOf(inodes);
    }

    /**
     * Parses one link target, {@code type:[inode]}, checking that the type is the expected one.
     *
     * @throws IllegalArgumentException if the target is not of that form
     */
    public static long parseTarget(NamespaceLink link, String target) {
        String name = link.type().kernelName();
        int digits = name.length() + 2;
        if (!target.startsWith(name) || !target.startsWith(":[", name.length()) || !target.endsWith("]")) {
            throw new IllegalArgumentException("not a " + link.fileName() + " namespace link target: " + target);
        }
        return Long.parseLong(target, digits, target.length() - 1, 10);
    }

    /**
     * Reads every link of {@code <root>/<pid>/ns/}. A missing link is left out; a denied one is left out and
     * flagged (the process is kept with what could be read).
     */
    public static NamespaceLinks read(ProcFs procFs, int pid) throws IOException {
        return read(procFs, pid, "ns/");
    }

    /** Reads every link of {@code <root>/<pid>/task/<tid>/ns/}: the namespaces of one thread of the process. */
    public static NamespaceLinks readTask(ProcFs procFs, int pid, int tid) throws IOException {
        return read(procFs, pid, "task/" + tid + "/ns/");
    }

    private static NamespaceLinks read(ProcFs procFs, int pid, String dir) throws IOException {
        EnumMap<NamespaceLink, Long> inodes = new EnumMap<>(NamespaceLink.class);
        boolean denied = false;
        for (NamespaceLink link : NamespaceLink.values()) {
            try {
                inodes.put(link, parseTarget(link, procFs.readLink(pid, dir + link.fileName())));
            } catch (AccessDeniedException e) {
                denied = true;
            } catch (NoSuchFileException e) {
                // The process is alive (ProcFs checked) but has no such link: an older kernel
                // (time namespaces are Linux 5.6+) or a zombie whose namespaces are already released.
            }
        }
        return new NamespaceLinks(inodes, denied);
    }
}
