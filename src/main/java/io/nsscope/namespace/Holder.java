package io.nsscope.namespace;

/**
 * Something other than a member process that keeps a namespace alive (namespaces(7): a namespace lives while a
 * process is in it, a file descriptor or bind mount refers to it, or a child namespace or socket needs it).
 *
 * @param kind           what kind of reference it is
 * @param pid            {@link Kind#FD}, {@link Kind#SOCKET}: the process holding the descriptor;
 *                       {@link Kind#MOUNT}: the process through whose {@code /proc/<pid>/mountinfo} the mount was seen
 * @param fd             {@link Kind#FD}, {@link Kind#SOCKET}: the descriptor's number in {@code /proc/<pid>/fd/};
 *                       otherwise null
 * @param mountNamespace {@link Kind#MOUNT}: the inode of the mount namespace the bind mount is in; otherwise null
 * @param path           {@link Kind#MOUNT}: the mount point (relative to that process's root), e.g.
 *                       {@code /run/netns/blue}; otherwise null
 */
public record Holder(Kind kind, int pid, Integer fd, Long mountNamespace, String path) {

    /** The kinds of reference. */
    public enum Kind {
        /** A bind mount of the namespace file: an {@code nsfs} entry of a {@code mountinfo} ({@code ip netns add}). */
        MOUNT,
        /** An open descriptor of a namespace file ({@code exec 3</proc/PID/ns/net}). */
        FD,
        /** A socket created in the network namespace ({@code SIOCGSKNS}), held by a process in another one. */
        SOCKET;

        /** The name the API uses: {@code mount}, {@code fd}, {@code socket}. */
        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Holder mount(int pid, long mountNamespace, String path) {
        return new Holder(Kind.MOUNT, pid, null, mountNamespace, path);
    }

    public static Holder fd(Kind kind, int pid, int fd) {
        return new Holder(kind, pid, fd, null, null);
    }
}
