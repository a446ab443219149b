package io.nsscope.sandbox;

import io.nsscope.jna.PosixSpawn;
import java.util.ArrayList;
import java.util.List;

/**
 * The programs between nsscope and a sandbox's command: one process, {@code posix_spawn}ed by the launching thread
 * in the namespaces it unshared, that execs from one program to the next. Every helper runs with an empty
 * environment; the request's environment never appears in a helper's argv or environment.
 * <ol>
 * <li>Only when needed, {@code sh}, as root: it waits on {@link #PLACED_FD} until nsscope has moved the process into
 *     its cgroup leaf, then {@code unshare --cgroup} makes the new cgroup namespace with that leaf as its root; and
 *     on kernels before 6.17 it mounts the new pid namespace's /proc (only a process inside can; from 6.17 the
 *     launching thread mounts it from outside with {@code pidns=}), which forks {@code mount}.</li>
 * <li>{@code setpriv} drops to the pool UID and GID in this process (never in a JVM thread): no supplementary
 *     groups, empty inheritable, ambient and bounding sets, and {@code no_new_privs} unless a mapped user namespace
 *     follows (root inside gets its capabilities at exec, which {@code no_new_privs} forbids).</li>
 * <li>With a user namespace, {@code unshare --user} creates it as the pool UID, single-threaded (the kernel refuses
 *     {@code CLONE_NEWUSER} to a multithreaded process such as the JVM); it owns none of the sandbox's other
 *     namespaces. For mapping {@code root} it writes {@code 0 UID 1} itself ({@code --map-root-user}); explicit maps
 *     are written by nsscope.</li>
 * <li>{@link #EXEC_STEP}, a Perl program: says {@code r} on {@link #STATUS_FD} (everything before it worked),
 *     waits for the command's environment on {@link #ENVIRONMENT_FD} (nsscope sends it once the process is in its
 *     cgroup and the id maps and ids are checked), lowers its resource limits, marks every descriptor above 2
 *     close-on-exec and execs the descriptor opened at validation, {@link #EXECUTABLE_FD}, with {@code execveat(2)}.
 *     So the command keeps the PID (1 in a new pid namespace) and gets descriptors 0-2 only; any failure after
 *     {@code r} writes {@code e} and an errno on the status pipe, a successful exec closes it.</li>
 * </ol>
 */
final class Trampoline {

    /** The descriptor of the validated executable, {@link Executable}. */
    static final int EXECUTABLE_FD = 3;
    /** The read end of the pipe that brings the command's environment. */
    static final int ENVIRONMENT_FD = 4;
    /** The write end of the status pipe: {@code r}, then nothing (exec'd) or {@code e<errno>}. */
    static final int STATUS_FD = 5;
    /** The read end of the pipe on which nsscope says the process is in its cgroup leaf (root shell only). */
    static final int PLACED_FD = 6;

    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));
    /** {@code prlimit64(2)}'s number (x86_64 302, aarch64 261). */
    static final int SYS_PRLIMIT64 = AARCH64 ? 261 : 302;

    /**
     * The last step. Arguments: the numbers of {@code execveat} and {@code prlimit64} on this machine, the limits
     * ({@code RESOURCE=VALUE} joined by commas, or {@code -}), then the command's argv. Its input on fd 4:
     * {@code NAME=value} entries, each ended by a NUL, then one more NUL; anything else (nsscope gave up, its end
     * closed) fails it without running the command. No module is loaded: nothing outside this text runs, and with an
     * empty environment no {@code PERL5OPT} or {@code PERL5LIB} applies.
     */
    static final String EXEC_STEP = String.join(
            "\n",
            "my ($nr, $prl, $limits) = splice(@ARGV, 0, 3);",
            "open(my $status, '>&=', " + STATUS_FD + ") or exit 125;",
            "sub fail { syswrite($status, 'e' . $_[0]); exit 125 }",
            "syswrite($status, 'r') == 1 or exit 125;",
            "open(my $in, '<&=', " + ENVIRONMENT_FD + ") or fail(-1);",
            "my $env = do { local $/; <$in> };",
            "close $in;",
            "fail(-1) unless defined $env && $env =~ s/\\0\\0\\z//;",
            "my @env = split /\\0/, $env;",
            "for (split /,/, $limits) {",
            "  next if $_ eq '-';",
            "  my ($res, $value) = split /=/;",
            "  my $old = \"\\0\" x 16;",
            "  syscall($prl + 0, 0, $res + 0, 0, $old) == 0 or fail(0 + $!);",
            "  my (undef, $hard) = unpack('QQ', $old);",
            "  $value = $hard if $hard < $value;",
            "  my $lim = pack('QQ', $value, $value);",
            // prlimit64(0, resource, &new, NULL): lowering one's own limits needs no privilege
            "  syscall($prl + 0, 0, $res + 0, $lim, 0) == 0 or fail(0 + $!);",
            "}",
            // close_range(3, ~0U, CLOSE_RANGE_CLOEXEC): 436 on every architecture
            "syscall(436, 3, 0xFFFFFFFF, 4) == 0 or fail(0 + $!);",
            "my ($empty, $argv, $envp) = ('', pack('p*', @ARGV, undef), pack('p*', @env, undef));",
            // execveat(fd, \"\", argv, envp, AT_EMPTY_PATH)
            "syscall($nr + 0, " + EXECUTABLE_FD + ", $empty, $argv, $envp, 0x1000);",
            "fail(0 + $!);",
            "");

    /**
     * What to spawn.
     *
     * @param path the first program
     * @param argv its argv, the rest of the chain included
     */
    record Start(String path, List<String> argv) {}

    private Trampoline() {}

    static Start of(Tools tools, LaunchPlan plan) {
        List<String> chain = new ArrayList<>(List.of(
                tools.setpriv(),
                "--reuid=" + plan.hostUid(),
                "--regid=" + plan.hostUid(),
                "--clear-groups",
                "--inh-caps=-all",
                "--ambient-caps=-all",
                "--bounding-set=-all"));
        if (!plan.mapped()) {
            chain.add("--no-new-privs");
        }
        chain.add("--");
        if (plan.user() != null) {
            chain.addAll(List.of(tools.unshare(), "--user"));
            if (plan.user().mode() == UserMapping.Mode.ROOT) {
                chain.add("--map-root-user");
            }
            chain.add("--");
        }
        chain.addAll(List.of(
                tools.perl(),
                "-e",
                EXEC_STEP,
                "--",
                Integer.toString(PosixSpawn.SYS_EXECVEAT),
                Integer.toString(SYS_PRLIMIT64),
                limits(plan)));
        chain.addAll(plan.command());
        if (!plan.rootShell()) {
            return new Start(chain.get(0), chain);
        }
        StringBuilder script = new StringBuilder("set -e\n");
        if (plan.cgroupNamespaceInLeaf()) {
            script.append("read -r _ <&" + PLACED_FD + "\nexec " + PLACED_FD + "<&-\n");
        }
        if (plan.mountProc() && !plan.kernelProc()) {
            script.append(tools.mount()).append(" -t proc -o nosuid,nodev,noexec proc /proc\n");
        }
        script.append("exec \"$@\"\n");
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script.toString(), "nsscope-sandbox"));
        if (plan.cgroupNamespaceInLeaf()) {
            argv.addAll(List.of(tools.unshare(), "--cgroup", "--"));
        }
        argv.addAll(chain);
        return new Start(tools.sh(), argv);
    }

    private static String limits(LaunchPlan plan) {
        if (plan.limits().isEmpty()) {
            return "-";
        }
        StringBuilder s = new StringBuilder();
        new java.util.TreeMap<>(plan.limits())
                .forEach((res, value) ->
                        s.append(s.isEmpty() ? "" : ",").append(res).append('=').append(value));
        return s.toString();
    }
}
