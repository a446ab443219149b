package io.nsscope.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * The argv of a sandbox's first process: a POSIX shell, started as root by {@code posix_spawn} in the namespaces
 * the launching thread unshared, that
 * <ol>
 * <li>mounts a fresh {@code /proc} (and {@code /sys} for a new network namespace): only a process inside a pid
 *     namespace can mount its procfs;</li>
 * <li>drops to the sandbox's pool UID and GID with {@code setpriv}: no supplementary groups, no capabilities, an
 *     empty bounding set and (without a mapped user namespace) {@code no_new_privs};</li>
 * <li>with a user namespace: runs {@code unshare --user} as that UID, which creates the user namespace
 *     single-threaded (the JVM cannot: the kernel refuses {@code CLONE_NEWUSER} to a multithreaded process), and
 *     then a second shell in it that, for mappings other than {@code none}, says {@code u} on fd 3 and waits on
 *     fd 4 while nsscope writes {@code setgroups}, {@code uid_map} and {@code gid_map};</li>
 * <li>says {@code ok} on fd 3, closes it, and execs the command (which keeps the PID: 1 in a new pid
 *     namespace).</li>
 * </ol>
 * The user namespace is created last, so it owns none of the sandbox's other namespaces: they belong to the host's
 * user namespace, and root inside the sandbox has no privilege over them (it cannot mount or change the host name).
 * The order is forced: only a single-threaded process can create a user namespace, and util-linux's tools give no
 * way to run nsscope's steps (id maps from outside, host name, time offsets, /proc) between creating the namespaces
 * and exec'ing the command.
 */
final class Trampoline {

    static final String READY = "ok";
    static final String WAITING_FOR_MAPS = "u";

    private Trampoline() {
    }

    static List<String> argv(Tools tools, LaunchPlan plan) {
        StringBuilder outer = new StringBuilder("set -e\n");
        if (plan.mountProc()) {
            outer.append(tools.mount()).append(" -t proc -o nosuid,nodev,noexec proc /proc\n");
        }
        if (plan.remountSys()) {
            outer.append(tools.mount()).append(" -t sysfs -o nosuid,nodev,noexec sysfs /sys || echo")
                    .append(" 'nsscope: /sys not remounted for the new network namespace' >&2\n");
        }
        if (plan.user() == null) {
            outer.append("printf '" + READY + "\\n' >&3\nexec 3>&-\n");
        }
        outer.append("exec ").append(tools.setpriv()).append(" --reuid=").append(plan.hostUid())
                .append(" --regid=").append(plan.hostUid()).append(" --clear-groups --inh-caps=-all")
                .append(" --bounding-set=-all");
        if (!plan.mapped()) {
            // with a mapped user namespace root inside gets its capabilities at exec, which no_new_privs forbids
            outer.append(" --no-new-privs");
        }
        outer.append(" -- \"$@\"\n");
        List<String> argv = new ArrayList<>(List.of("sh", "-c", outer.toString(), "nsscope-sandbox"));
        if (plan.user() != null) {
            StringBuilder inner = new StringBuilder();
            if (plan.mapped()) {
                inner.append("printf '" + WAITING_FOR_MAPS + "\\n' >&3\nread -r _ <&4 || exit 125\nexec 4<&-\n");
            }
            inner.append("printf '" + READY + "\\n' >&3\nexec 3>&-\nexec \"$@\"\n");
            argv.addAll(List.of(tools.unshare(), "--user", "--", tools.sh(), "-c", inner.toString(),
                    "nsscope-sandbox"));
        }
        argv.addAll(plan.command());
        return argv;
    }
}
