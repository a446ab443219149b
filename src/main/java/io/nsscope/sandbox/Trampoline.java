package io.nsscope.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * The programs between nsscope and a sandbox's command, started by {@code posix_spawn} in the namespaces the
 * launching thread unshared. On Linux 6.17+ that thread also mounted /proc (procfs's {@code pidns=} option) and
 * /sys, and dropped its own privileges to the sandbox's pool UID and GID (empty bounding set, no supplementary
 * groups, no capabilities, and without a mapped user namespace {@code no_new_privs}): the command, or the user
 * namespace step, is spawned directly. On older kernels the chain starts as root:
 * <ol>
 * <li>a POSIX shell mounts /proc (only a process inside a pid namespace can mount its procfs) and, without a user
 *     namespace, says {@code ok} on fd 3;</li>
 * <li>{@code setpriv} drops to the pool UID and GID as above.</li>
 * </ol>
 * Then, on every kernel:
 * <ol>
 * <li>with a user namespace: {@code unshare --user}, as that UID, creates the user namespace single-threaded (the
 *     kernel refuses {@code CLONE_NEWUSER} to a multithreaded process such as the JVM), and execs a shell in it
 *     that, for mappings other than {@code none}, says {@code u} on fd 3 and waits on fd 4 while nsscope writes
 *     {@code setgroups}, {@code uid_map} and {@code gid_map}, then says {@code ok};</li>
 * <li>the command, by exec: it keeps the PID (1 in a new pid namespace).</li>
 * </ol>
 * At exec after the maps are written, the process's UID is root of its user namespace, so a {@code root} mapping
 * gives the command full capabilities there. The user namespace is created last, so it owns none of the sandbox's
 * other namespaces: they belong to the host's, and root inside cannot mount or change the host name. The order is
 * forced: only a single-threaded process can create a user namespace, and util-linux gives no way to run nsscope's
 * steps (id maps written from outside, host name, time offsets, /proc) between creating it and exec'ing.
 */
final class Trampoline {

    static final String READY = "ok";
    static final String WAITING_FOR_MAPS = "u";

    /**
     * What to spawn.
     *
     * @param path     the program
     * @param argv     its argv
     * @param saysOk   whether it says {@code ok} on fd 3 (else it is ready when {@code posix_spawn} returns)
     * @param command  whether it is the command itself (so a failed exec is the request's fault)
     */
    record Start(String path, List<String> argv, boolean saysOk, boolean command) {
    }

    private Trampoline() {
    }

    static Start of(Tools tools, LaunchPlan plan) {
        List<String> tail = new ArrayList<>();
        if (plan.user() != null) {
            StringBuilder inner = new StringBuilder();
            if (plan.mapped()) {
                inner.append("printf '" + WAITING_FOR_MAPS + "\\n' >&3\nread -r _ <&4 || exit 125\nexec 4<&-\n");
            }
            inner.append("printf '" + READY + "\\n' >&3\nexec 3>&-\nexec \"$@\"\n");
            tail.addAll(List.of(tools.unshare(), "--user", "--", tools.sh(), "-c", inner.toString(),
                    "nsscope-sandbox"));
        }
        tail.addAll(plan.command());
        if (!plan.trampolineMountsProc()) {
            // the launching thread dropped its privileges itself (Linux.dropThreadPrivileges): no setpriv
            return new Start(tail.get(0), tail, plan.user() != null, plan.user() == null);
        }
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "set -e\n" + tools.mount()
                + " -t proc -o nosuid,nodev,noexec proc /proc\n"
                + (plan.user() == null ? "printf '" + READY + "\\n' >&3\nexec 3>&-\n" : "") + "exec \"$@\"\n",
                "nsscope-sandbox", tools.setpriv(), "--reuid=" + plan.hostUid(), "--regid=" + plan.hostUid(),
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"));
        if (!plan.mapped()) {
            // with a mapped user namespace root inside gets its capabilities at exec, which no_new_privs forbids
            argv.add("--no-new-privs");
        }
        argv.add("--");
        argv.addAll(tail);
        return new Start(tools.sh(), argv, true, false);
    }
}
