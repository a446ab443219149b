package io.nsscope.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * The programs between nsscope and a sandbox's command, started by {@code posix_spawn} in the namespaces the
 * launching thread unshared (it also set the host name, made {@code /} private, mounted /sys for a new network
 * namespace and wrote the time offsets).
 * <ul>
 * <li>Without a /proc to mount, the thread dropped its own privileges to the sandbox's pool UID and GID (empty
 *     bounding set, no supplementary groups, no capabilities, {@code no_new_privs} unless a mapped user namespace
 *     follows) and spawns the command, or the user namespace step, directly.</li>
 * <li>With /proc mounted by the thread ({@code pidns=/proc/PID/ns/pid}, Linux 6.17+: the namespace needs a process
 *     before its procfs can be mounted from outside), the thread dropped its privileges likewise but kept
 *     {@code CAP_SYS_ADMIN} (effective and permitted only) for that mount, which the spawned program, run by a
 *     non-root UID, does not inherit; it clears it after the mount. The spawned program is the user namespace step,
 *     if any, then a POSIX shell, with nothing of the request's environment, waiting on fd 5 until /proc is
 *     mounted; then {@code env -i} gives the command the request's environment.</li>
 * <li>On older kernels only a process inside the pid namespace can mount its /proc: the first process is a shell,
 *     as root, that mounts it and says {@code ok} on fd 3; then {@code setpriv} drops to the pool UID and GID as
 *     above, and {@code env -i} gives the rest of the chain the request's environment, which the helpers running
 *     as root never see.</li>
 * <li>The user namespace step: {@code unshare --user}, as the pool UID, creates the user namespace single-threaded
 *     (the kernel refuses {@code CLONE_NEWUSER} to a multithreaded process such as the JVM). For mapping
 *     {@code none} it execs the next program directly, and for {@code root} it maps root to its own UID and GID
 *     itself ({@code --map-root-user}: {@code setgroups} {@code deny}, {@code 0 UID 1}, {@code 0 GID 1}, the same
 *     lines nsscope would write); the launcher polls {@code /proc/PID} until the namespace exists (and
 *     {@code gid_map}, written last, is set). For explicit maps a shell in it says {@code u} on fd 3 and waits on
 *     fd 4 while nsscope writes {@code setgroups}, {@code uid_map} and {@code gid_map}, then says {@code ok}.</li>
 * <li>Last, the command, by exec: it keeps the PID (1 in a new pid namespace).</li>
 * </ul>
 * At exec after the maps are written, the process's UID is root of its user namespace, so a {@code root} mapping
 * gives the command full capabilities there. The user namespace is created last, so it owns none of the sandbox's
 * other namespaces: they belong to the host's, and root inside cannot mount or change the host name. The order is
 * forced: only a single-threaded process can create a user namespace, and util-linux gives no way to run nsscope's
 * steps (host name, time offsets, /sys) between creating it and exec'ing.
 */
final class Trampoline {

    static final String READY = "ok";
    static final String WAITING_FOR_MAPS = "u";
    /** In the new user namespace: asks for the maps on fd 3, waits on fd 4 until they are written, says ok. */
    private static final String HANDSHAKE = "printf '" + WAITING_FOR_MAPS + "\\n' >&3\nread -r _ <&4 || exit 125\n"
            + "exec 4<&-\nprintf '" + READY + "\\n' >&3\nexec 3>&-\n";

    /**
     * What to spawn.
     *
     * @param path     the program
     * @param argv     its argv
     * @param saysOk   whether it says {@code ok} on fd 3 (else it is ready when {@code posix_spawn} returns)
     * @param command  whether it is the command itself (so a failed exec is the request's fault)
     * @param awaitsProc whether it waits on fd 5 for the launching thread to mount its /proc
     * @param env      its environment
     */
    record Start(String path, List<String> argv, boolean saysOk, boolean command, boolean awaitsProc,
            List<String> env, boolean awaitsUserNamespace) {
    }

    private Trampoline() {
    }

    static Start of(Tools tools, LaunchPlan plan) {
        List<String> tail = new ArrayList<>();
        boolean handshake = plan.nsscopeWritesMaps();
        // without a handshake, the launcher polls until the user namespace exists (and for root, is mapped)
        boolean polls = plan.user() != null && !handshake;
        if (handshake) {
            tail.addAll(List.of(tools.unshare(), "--user", "--", tools.sh(), "-c", HANDSHAKE + "exec \"$@\"\n",
                    "nsscope-sandbox"));
        } else if (plan.user() != null) {
            tail.addAll(List.of(tools.unshare(), "--user"));
            if (plan.mapped()) {
                tail.add("--map-root-user");
            }
            tail.add("--");
        }
        tail.addAll(plan.command());
        if (plan.threadDropsPrivileges() && !plan.mountProc()) {
            return new Start(tail.get(0), tail, handshake, plan.user() == null, false, plan.env(), polls);
        }
        if (plan.threadDropsPrivileges()) {
            // the user namespace step first (made while the thread mounts /proc), then a shell, with nothing of the
            // request's environment, waits until the thread has mounted /proc (and for explicit maps, until nsscope
            // has written them); then env(1) gives the command the request's environment
            List<String> argv = new ArrayList<>();
            if (plan.user() != null) {
                argv.addAll(List.of(tools.unshare(), "--user"));
                if (plan.mapped() && !handshake) {
                    argv.add("--map-root-user");
                }
                argv.addAll(List.of("--", tools.sh()));
            } else {
                argv.add("sh");
            }
            argv.addAll(List.of("-c", "read -r _ <&5 || exit 125\nexec 5<&-\n" + (handshake ? HANDSHAKE : "")
                    + "exec \"$@\"\n", "nsscope-sandbox", tools.env(), "-i"));
            argv.addAll(plan.env());
            argv.addAll(plan.command());
            return new Start(plan.user() != null ? tools.unshare() : tools.sh(), argv, handshake, false, true,
                    List.of(Inspect.PATH, Reaping.MARK + "=" + plan.id()), polls);
        }
        List<String> setpriv = new ArrayList<>(List.of(tools.setpriv(), "--reuid=" + plan.hostUid(),
                "--regid=" + plan.hostUid(), "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"));
        if (!plan.mapped()) {
            // with a mapped user namespace root inside gets its capabilities at exec, which no_new_privs forbids
            setpriv.add("--no-new-privs");
        }
        setpriv.add("--");
        // the helpers before it run as root: they get none of the request's variables (LD_PRELOAD...), env(1) gives
        // them to the rest of the chain, which runs as the pool UID
        setpriv.addAll(List.of(tools.env(), "-i"));
        setpriv.addAll(plan.env());
        setpriv.addAll(tail);
        // older kernels: only a process inside the pid namespace can mount its /proc, so a shell as root does
        String script = "set -e\n" + tools.mount() + " -t proc -o nosuid,nodev,noexec proc /proc\n"
                + (handshake ? "" : "printf '" + READY + "\\n' >&3\nexec 3>&-\n");
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script + "exec \"$@\"\n", "nsscope-sandbox"));
        argv.addAll(setpriv);
        return new Start(tools.sh(), argv, true, false, false, List.of(Inspect.PATH, Reaping.MARK + "=" + plan.id()),
                polls);
    }
}
