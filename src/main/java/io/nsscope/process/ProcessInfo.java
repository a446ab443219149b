package io.nsscope.process;

import io.nsscope.namespace.IntList;
import io.nsscope.namespace.LinkInodes;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import java.util.List;
import java.util.Map;

/**
 * One process of the host as a scan saw it.
 *
 * @param pid        its PID in the PID namespace of the procfs that was read (the host's)
 * @param ppid       its parent's PID, field 4 of {@code /proc/<pid>/stat} (0 for PID 1 and {@code kthreadd})
 * @param state      its state, field 3 of {@code /proc/<pid>/stat} ({@code S}, {@code R}, {@code Z}...)
 * @param comm       its command name, field 2 of {@code /proc/<pid>/stat}: what {@code pstree} shows
 * @param command    its command line as {@code lsns} shows it: {@code /proc/<pid>/cmdline} joined by spaces, or
 *                   {@code comm} when that is empty (kernel threads, zombies)
 * @param uid        the owner of {@code /proc/<pid>} (its effective UID, as {@code lsns} shows it), or
 *                   {@code null} if it could not be read
 * @param user       the name of {@code uid} in the host's password database, or the number when it has none
 * @param nspid      its PID in each PID namespace it belongs to, from the host's down to its own
 *                   ({@code NSpid:} of {@code /proc/<pid>/status}); empty if unreadable
 * @param namespaces the inode of each link in {@code /proc/<pid>/ns/} that could be read
 * @param kernelThread whether it is a kernel thread ({@code PF_KTHREAD} in field 9 of {@code stat})
 * @param threads    its number of threads, field 20 of {@code /proc/<pid>/stat} (0 if unknown)
 * @param unreadable whether some of its files could not be read for lack of permission
 * @param container  the container, pod or systemd unit its cgroup ({@code /proc/<pid>/cgroup}, cgroups(7)) names,
 *                   or {@code null} when the path names none, or the file could not be read
 * @param startTime  when it started, field 22 of {@code /proc/<pid>/stat} (clock ticks after boot): with the PID,
 *                   what tells this process from a later one that got the same PID (0 if unknown)
 */
public record ProcessInfo(
        int pid,
        int ppid,
        char state,
        String comm,
        String command,
        Integer uid,
        String user,
        List<Integer> nspid,
        Map<NamespaceLink, Long> namespaces,
        boolean kernelThread,
        int threads,
        boolean unreadable,
        Container container,
        long startTime) {

    public ProcessInfo {
        // Compact immutable copies: a snapshot holds one of each per process (docs/image.md).
        nspid = IntList.copyOf(nspid);
        namespaces = LinkInodes.copyOf(namespaces);
    }

    /** The inode of the namespace of this type the process is in, or {@code null} if it could not be read. */
    public Long namespace(NamespaceType type) {
        return namespaces.get(NamespaceLink.of(type));
    }
}
