package io.nsscope.sandbox;

import io.nsscope.namespace.IdRange;
import java.time.Duration;
import java.util.List;

/**
 * A validated sandbox, ready to launch.
 *
 * @param id           the sandbox's id
 * @param flags        the {@code CLONE_NEW*} flags the launching thread unshares (never {@code CLONE_NEWUSER})
 * @param hostname     the host name to set in the new uts namespace, or null
 * @param newMount     whether a mount namespace is created (then {@code /} is made private in it)
 * @param timeOffsets  offsets of the new time namespace, or null
 * @param mountProc    whether the sandbox gets a fresh /proc
 * @param kernelProc   whether the launching thread mounts it ({@code pidns=}, Linux 6.17+), else the chain's shell
 * @param remountSys   whether the launching thread mounts a fresh /sys (new network and mount namespaces)
 * @param user         the user namespace's mapping, or null without a user namespace
 * @param idMaps       the maps the user namespace must end up with (same for UIDs and GIDs), empty for none
 * @param hostUid      the pool UID (and GID) the chain drops to, never 0
 * @param command      the command's argv
 * @param env          the command's environment, {@code NAME=value}
 * @param startTimeout how long start-up may take
 * @param hidden       with a new mount namespace: nsscope's own mounts to detach there (the host's procfs at another
 *                     path, the token's directory, nsscope's cgroup2), and whether a fresh tmpfs goes on /tmp,
 *                     /var/tmp and /dev/shm
 * @param limits       the resource limits the last step sets on itself before the exec, by {@code RLIMIT_*} number
 * @param cgroupNamespaceInLeaf whether the new cgroup namespace is made by the chain once the process is in its
 *                     leaf (so that the leaf is its root), rather than by the launching thread
 */
record LaunchPlan(
        String id,
        int flags,
        String hostname,
        boolean newMount,
        TimeOffsets timeOffsets,
        boolean mountProc,
        boolean kernelProc,
        boolean remountSys,
        UserMapping user,
        List<IdRange> idMaps,
        long hostUid,
        List<String> command,
        List<String> env,
        Duration startTimeout,
        List<String> hidden,
        java.util.Map<Integer, Long> limits,
        boolean cgroupNamespaceInLeaf) {

    /** {@code RLIMIT_NPROC}, {@code RLIMIT_NOFILE}, {@code RLIMIT_AS} (asm-generic/resource.h). */
    static final int NPROC = 6;

    static final int NOFILE = 7;
    static final int AS = 9;

    LaunchPlan {
        if (hostUid <= 0) {
            throw new IllegalArgumentException("a sandbox never runs as host root");
        }
        hidden = List.copyOf(hidden);
        limits = java.util.Map.copyOf(limits);
    }

    /** Whether the chain's first program is a root shell: to wait for the leaf, or to mount /proc (before 6.17). */
    boolean rootShell() {
        return cgroupNamespaceInLeaf || mountProc && !kernelProc;
    }

    /** Whether the user namespace gets id maps (so root inside gains its capabilities at exec). */
    boolean mapped() {
        return user != null && user.mode() != UserMapping.Mode.NONE;
    }

    /** Whether nsscope writes the id maps (explicit ones); {@code root} is mapped by {@code unshare} itself. */
    boolean nsscopeWritesMaps() {
        return user != null && user.mode() == UserMapping.Mode.EXPLICIT;
    }
}
