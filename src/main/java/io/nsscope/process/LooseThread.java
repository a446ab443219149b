package io.nsscope.process;

import io.nsscope.namespace.LinkInodes;
import io.nsscope.namespace.NamespaceLink;
import java.util.List;
import java.util.Map;

/**
 * A thread whose namespaces are not its process's: it called {@code unshare(2)} or {@code setns(2)} for itself
 * (namespace changes apply to the calling thread), as nsscope's own sandbox launcher and namespace probes do.
 *
 * @param tid        its thread ID, the entry of {@code /proc/<pid>/task/}
 * @param pid        its process (thread group) ID
 * @param comm       its name, {@code /proc/<pid>/task/<tid>/comm}
 * @param namespaces the inode of each link of {@code /proc/<pid>/task/<tid>/ns/} that could be read
 * @param differing  the links whose namespace differs from the process's {@code /proc/<pid>/ns/}
 */
public record LooseThread(
        int tid, int pid, String comm, Map<NamespaceLink, Long> namespaces, List<NamespaceLink> differing) {

    public LooseThread {
        namespaces = LinkInodes.copyOf(namespaces);
        differing = List.copyOf(differing);
    }
}
