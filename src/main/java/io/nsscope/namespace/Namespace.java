package io.nsscope.namespace;

import java.util.List;

/**
 * One namespace seen on the host: a row of {@code lsns}, with what else keeps it alive and where it sits in the
 * hierarchy.
 *
 * @param inode        the namespace's inode number on the nsfs filesystem, the number in
 *                     {@code /proc/<pid>/ns/<type>}'s link target and {@code lsns}'s NS column
 * @param type         its type
 * @param pids         the PIDs of the processes in it (whose {@code /proc/<pid>/ns/<type>} link points to it),
 *                     ascending; their count is {@code lsns}'s NPROCS and the first is its PID column. Empty for a
 *                     namespace held only by {@link #holders()}, by {@link #looseThreads()} or by its children
 * @param parent       pid and user namespaces: the parent's inode ({@code NS_GET_PARENT}, ioctl_ns(2), lsns's PNS);
 *                     null for other types, for the initial namespace, and where the kernel refuses (EPERM: the
 *                     parent is outside nsscope's user namespace)
 * @param owner        the inode of the user namespace that owns it ({@code NS_GET_USERNS}, lsns's ONS); null if the
 *                     kernel refused or for the initial user namespace
 * @param ownerUid     user namespaces: the UID of the process that created it, as nsscope's user namespace sees it
 *                     ({@code NS_GET_OWNER_UID}); otherwise null
 * @param holders      the bind mounts, descriptors and sockets that refer to it
 * @param looseThreads the thread IDs in it of processes that are not ({@code /proc/<pid>/task/<tid>/ns/<type>}
 *                     differs from {@code /proc/<pid>/ns/<type>}), ascending
 * @param netnsid      net namespaces: the ID nsscope's network namespace gives it ({@code RTM_GETNSID}, as lsns's
 *                     NETNSID), -1 when none is assigned; null if unknown or another type
 * @param ghost        whether it was found only by walking up from another namespace ({@code NS_GET_PARENT} or
 *                     {@code NS_GET_USERNS}): no process, thread, mount or descriptor seen holds it
 * @param uid          for a namespace without processes, the UID that owns it, where lsns 2.42 shows its UID column
 *                     ({@code uid_fallback}): a user namespace's creator ({@code NS_GET_OWNER_UID}, as lsns), for
 *                     another type the creator of the user namespace that owns it (lsns asks {@code NS_GET_OWNER_UID}
 *                     of the namespace itself, which only a user namespace answers, and prints its initial 0); null
 *                     when unknown, and for a namespace with processes (whose lowest-PID process's UID is shown)
 * @param user         {@code uid}'s name in the host's password database (its number when it has none), or null
 */
public record Namespace(
        long inode,
        NamespaceType type,
        List<Integer> pids,
        Long parent,
        Long owner,
        Integer ownerUid,
        List<Holder> holders,
        List<Integer> looseThreads,
        Integer netnsid,
        boolean ghost,
        Integer uid,
        String user) {

    public Namespace {
        pids = IntList.copyOf(pids); // as int[]: a snapshot lists every process once per type (docs/image.md)
        holders = List.copyOf(holders);
        looseThreads = IntList.copyOf(looseThreads);
    }

    /** A namespace found through its processes only, with nothing else known of it. */
    public Namespace(long inode, NamespaceType type, List<Integer> pids) {
        this(inode, type, pids, null, null, null, List.of(), List.of(), null, false, null, null);
    }

    /** The number of processes in the namespace ({@code lsns} NPROCS). */
    public int nprocs() {
        return pids.size();
    }

    /** The lowest PID in the namespace ({@code lsns} PID), or null when no process is in it. */
    public Integer lowestPid() {
        return pids.isEmpty() ? null : pids.get(0);
    }

    /** Whether no process is in it: it lives through a bind mount, a descriptor, a socket, a thread or a child. */
    public boolean persistent() {
        return pids.isEmpty();
    }

    /**
     * {@code lsns}'s NSFS: the paths of its bind mounts in {@code mountNamespace} (the host's: lsns reads its own
     * mount table), in the order seen, without repeats.
     */
    public List<String> nsfsPaths(Long mountNamespace) {
        return holders.stream()
                .filter(h -> h.kind() == Holder.Kind.MOUNT && h.mountNamespace().equals(mountNamespace))
                .map(Holder::path)
                .distinct()
                .toList();
    }
}
