package io.nsscope.scan;

/**
 * Which sources a scan reads besides each process's {@code stat}, {@code cmdline}, owner and {@code ns/} links.
 *
 * @param threads   every thread's {@code /proc/<pid>/task/<tid>/ns/}, to find threads whose namespaces differ from
 *                  their process's ("loose" threads)
 * @param fds       every process's {@code /proc/<pid>/fd/}, to find namespaces held by an open descriptor
 * @param mounts    one {@code /proc/<pid>/mountinfo} per mount namespace, to find namespaces held by a bind mount
 * @param hierarchy the nsfs ioctls (owner, parent, owner UID), the net namespaces' IDs and the ancestors nothing
 *                  else holds
 * @param sockets   network namespaces held only by a socket, as lsns 2.42 finds them: the socket descriptors of
 *                  every process duplicated with {@code pidfd_getfd(2)} and asked {@code SIOCGSKNS} (needs ptrace
 *                  rights); like descriptors, a process's sockets are asked when it is first seen and then once in
 *                  {@link DescriptorSweep#ROUNDS} scans, a socket known to hold a namespace checked every scan
 */
public record Sources(boolean threads, boolean fds, boolean mounts, boolean hierarchy, boolean sockets) {

    /** Everything: the default, as {@code lsns} 2.42 reads everything. */
    public static final Sources DEFAULT = new Sources(true, true, true, true, true);

    /** Only what {@code lsns} 2.38 reads. */
    public static final Sources PROCESSES_ONLY = new Sources(false, false, false, false, false);
}
