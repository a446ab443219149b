package io.nsscope.sandbox;

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
 */
record LaunchPlan(String id, int flags, String hostname, boolean newMount, TimeOffsets timeOffsets,
        boolean mountProc, boolean kernelProc, boolean remountSys, UserMapping user, List<IdMap> idMaps, long hostUid,
        List<String> command, List<String> env, Duration startTimeout) {

    LaunchPlan {
        if (hostUid <= 0) {
            throw new IllegalArgumentException("a sandbox never runs as host root");
        }
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
