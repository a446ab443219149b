package io.nsscope.sandbox;

import io.nsscope.jna.Fd;
import io.nsscope.jna.Linux;
import io.nsscope.jna.SyscallException;
import io.nsscope.jna.ThrowawayThread;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts a sandbox's first process. Every descriptor, pipe and piece of native memory is made first; then a
 * {@link ThrowawayThread} unshares the non-user namespaces, sets the host name, makes {@code /} private, writes the
 * time offsets to its own {@code /proc/TID/timens_offsets} and {@code posix_spawn}s the {@link Trampoline}; the
 * thread ends and takes its namespaces with it. Then the calling thread writes the id maps when the trampoline
 * asks and waits for its {@code ok}. On any failure the child is killed and reaped and every descriptor closed.
 */
final class Launcher {

    /** A started sandbox: its PID, a pidfd for it (a child of this JVM, to reap) and the read end of its output. */
    record Launched(int pid, Fd pidfd, Fd output) {
    }

    private final Tools tools;
    private final ScheduledExecutorService scheduler;

    Launcher(Tools tools, ScheduledExecutorService scheduler) {
        this.tools = tools;
        this.scheduler = scheduler;
    }

    Launched launch(LaunchPlan plan) {
        List<Fd> childSide = new ArrayList<>();
        List<Fd> parentSide = new ArrayList<>();
        Fd pidfd = null;
        Fd output = null;
        Trampoline.Start start = Trampoline.of(tools, plan);
        try {
            Fd devNull = keep(childSide, Linux.open(Path.of("/dev/null")));
            Fd[] log = Linux.pipe();
            output = keep(parentSide, log[0]);
            keep(childSide, log[1]);
            List<Integer> fdMap = new ArrayList<>(List.of(devNull.value(), 0, log[1].value(), 1, log[1].value(), 2));
            Fd[] ready = start.saysOk() ? Linux.pipe() : null;
            if (ready != null) {
                keep(parentSide, ready[0]);
                keep(childSide, ready[1]);
                fdMap.addAll(List.of(ready[1].value(), 3));
            }
            Fd[] release = plan.nsscopeWritesMaps() ? Linux.pipe() : null;
            if (release != null) {
                keep(childSide, release[0]);
                keep(parentSide, release[1]);
                fdMap.addAll(List.of(release[0].value(), 4));
            }
            Fd[] procMounted = start.awaitsProc() ? Linux.pipe() : null;
            if (procMounted != null) {
                keep(childSide, procMounted[0]);
                keep(parentSide, procMounted[1]);
                fdMap.addAll(List.of(procMounted[0].value(), 5));
            }
            Fd procGo = procMounted == null ? null : procMounted[1];
            int pid;
            try (Linux.PreparedSpawn spawn = Linux.prepareSpawn(start.path(), start.argv(), start.env(),
                    fdMap.stream().mapToInt(Integer::intValue).toArray())) {
                pid = ThrowawayThread.call("sandbox-" + plan.id(), () -> enterAndSpawn(plan, spawn, procGo));
            } finally {
                closeAll(childSide);
            }
            try {
                pidfd = Linux.pidfdOpen(pid);
            } catch (SyscallException e) {
                Reaping.killGroupQuietly(pid); // setsid made it a group leader; it stays a zombie until exit
                throw e;
            }
            if (start.saysOk()) {
                handshake(plan, pid, pidfd, ready[0], release == null ? null : release[1], output);
            }
            if (start.awaitsUserNamespace()) {
                awaitUserNamespace(plan, pid, pidfd, output);
            }
            parentSide.remove(output);
            return new Launched(pid, pidfd, output);
        } catch (SyscallException e) {
            if (e.syscall().equals("posix_spawn") && start.command()) {
                throw new SandboxRequestException("command[0]", "The sandbox's UID " + plan.hostUid()
                        + " cannot execute " + plan.command().get(0) + ": " + e.errno() + ".");
            }
            throw Errors.of(e);
        } finally {
            closeAll(childSide);
            closeAll(parentSide);
        }
    }

    /**
     * Mounts, in the launching thread's new mount namespace, the procfs of {@code pid}'s pid namespace; on failure
     * the child is killed and reaped here, the only place that knows it.
     */
    private static void mountProcOf(int pid) {
        try {
            Linux.mount("proc", "/proc", "proc", Linux.MS_NOSUID | Linux.MS_NODEV | Linux.MS_NOEXEC,
                    "pidns=/proc/" + pid + "/ns/pid");
        } catch (SyscallException e) {
            try (Fd pidfd = Linux.pidfdOpen(pid)) {
                Reaping.killQuietly(pidfd);
                Linux.waitExit(pidfd, true);
            }
            throw e;
        }
    }

    /**
     * Whether procfs takes {@code pidns=} (Linux 6.17+), so that the launching thread can mount a new pid
     * namespace's /proc itself once its first process exists. Tried once, in throwaway namespaces with a throwaway
     * process.
     */
    static boolean kernelMountsProcForPidNamespaces() {
        try {
            return ThrowawayThread.call("sandbox-probe", () -> {
                Linux.unshare(Linux.CLONE_NEWNS | Linux.CLONE_NEWPID);
                Linux.mount(null, "/", null, Linux.MS_REC | Linux.MS_PRIVATE, null);
                int pid = Linux.spawn("/bin/sleep", List.of("sleep", "60"), List.of());
                try (Fd pidfd = Linux.pidfdOpen(pid)) {
                    try {
                        Linux.mount("proc", "/proc", "proc", Linux.MS_NOSUID | Linux.MS_NODEV | Linux.MS_NOEXEC,
                                "pidns=/proc/" + pid + "/ns/pid");
                        return true;
                    } catch (SyscallException e) {
                        return false;
                    } finally {
                        Reaping.killQuietly(pidfd);
                        Linux.waitExit(pidfd, true);
                    }
                }
            });
        } catch (SyscallException e) {
            return false;
        }
    }

    /** On the throwaway thread: from {@code unshare} to the child's start, allocating no native memory. */
    private static int enterAndSpawn(LaunchPlan plan, Linux.PreparedSpawn spawn, Fd procGo) throws IOException {
        FileOutputStream offsets = plan.timeOffsets() == null ? null
                : new FileOutputStream("/proc/" + Linux.gettid() + "/timens_offsets");
        byte[] offsetBytes = plan.timeOffsets() == null ? null
                : plan.timeOffsets().fileContent().getBytes(StandardCharsets.US_ASCII);
        try {
            if (plan.flags() != 0) {
                Linux.unshare(plan.flags());
            }
            if (plan.hostname() != null) {
                Linux.sethostname(plan.hostname());
            }
            if (plan.newMount()) {
                Linux.mount(null, "/", null, Linux.MS_REC | Linux.MS_PRIVATE, null);
            }
            if (plan.remountSys()) {
                try {
                    Linux.mount("sysfs", "/sys", "sysfs", Linux.MS_NOSUID | Linux.MS_NODEV | Linux.MS_NOEXEC, null);
                } catch (SyscallException e) {
                    // best effort, as in a container without the right to: /sys then shows the host's devices
                }
            }
            if (offsets != null) {
                try {
                    offsets.write(offsetBytes);
                } catch (IOException e) {
                    throw Errors.of("write(timens_offsets)", e);
                }
            }
            if (plan.threadDropsPrivileges() && procGo != null) {
                Linux.dropThreadPrivilegesKeepingSysAdmin((int) plan.hostUid(), (int) plan.hostUid(),
                        !plan.mapped());
            } else if (plan.threadDropsPrivileges()) {
                Linux.dropThreadPrivileges((int) plan.hostUid(), (int) plan.hostUid(), !plan.mapped());
            }
            int pid = spawn.start();
            if (procGo != null) {
                mountProcOf(pid);
                if (plan.threadDropsPrivileges()) {
                    Linux.dropThreadCapabilities();
                }
                Linux.write(procGo, "go\n".getBytes(StandardCharsets.US_ASCII));
            }
            return pid;
        } finally {
            if (offsets != null) {
                offsets.close();
            }
        }
    }

    /** Writes the id maps when asked, and waits for the trampoline's {@code ok}; kills and reaps it on failure. */
    private void handshake(LaunchPlan plan, int pid, Fd pidfd, Fd ready, Fd release, Fd output) {
        ScheduledFuture<?> watchdog = scheduler.schedule(() -> Reaping.killQuietly(pidfd),
                plan.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        String failure = null;
        try {
            String said = readLine(ready);
            if (release != null) {
                if (!Trampoline.WAITING_FOR_MAPS.equals(said)) {
                    failure = "the sandbox ended before its user namespace was made";
                } else {
                    writeMaps(pid, plan.idMaps());
                    Linux.write(release, "go\n".getBytes(StandardCharsets.US_ASCII));
                    said = readLine(ready);
                }
            }
            if (failure == null && !Trampoline.READY.equals(said)) {
                failure = "the sandbox's start-up steps failed";
            }
        } catch (RuntimeException e) {
            abort(plan, pidfd, pid);
            throw e;
        } finally {
            watchdog.cancel(false);
        }
        if (failure != null) {
            abort(plan, pidfd, pid);
            throw new SandboxStartException(failure + " (or took longer than " + plan.startTimeout()
                    + "); see output", Reaping.drain(output, 8192));
        }
    }

    /**
     * Without a handshake: waits until {@code unshare --user} has made the user namespace and, with
     * {@code --map-root-user}, written its maps ({@code gid_map} is its last), polling {@code /proc/PID} every few
     * tens of microseconds; kills and reaps the chain if it ends first or takes longer than the start timeout. The
     * exit is checked before the namespace, so a chain that made it and ended at once still counts as started.
     */
    private static void awaitUserNamespace(LaunchPlan plan, int pid, Fd pidfd, Fd output) {
        Path dir = Path.of("/proc", Integer.toString(pid));
        long deadline = System.nanoTime() + plan.startTimeout().toNanos();
        try {
            while (true) {
                boolean ended = Linux.hasExited(pidfd);
                if (userNamespaceReady(dir, plan.mapped())) {
                    return;
                }
                if (ended || System.nanoTime() - deadline > 0) {
                    break;
                }
                LockSupport.parkNanos(20_000);
            }
        } catch (RuntimeException e) {
            abort(plan, pidfd, pid);
            throw e;
        }
        abort(plan, pidfd, pid);
        throw new SandboxStartException("the sandbox ended before its user namespace was made (or took longer than "
                + plan.startTimeout() + "); see output", Reaping.drain(output, 8192));
    }

    private static boolean userNamespaceReady(Path dir, boolean mapped) {
        try {
            if (Files.readSymbolicLink(dir.resolve("ns/user")).equals(OWN_USER_NAMESPACE)) {
                return false;
            }
            return !mapped || !Files.readString(dir.resolve("gid_map")).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static final Path OWN_USER_NAMESPACE = ownUserNamespace();

    private static Path ownUserNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/user"));
        } catch (IOException e) {
            return Path.of("");
        }
    }

    private static void abort(LaunchPlan plan, Fd pidfd, int pid) {
        Reaping.killQuietly(pidfd);
        if ((plan.flags() & Linux.CLONE_NEWPID) == 0) {
            Reaping.killGroupQuietly(pid);
        }
        Linux.waitExit(pidfd, true);
        pidfd.close();
    }

    private static void writeMaps(int pid, List<IdMap> maps) {
        StringBuilder lines = new StringBuilder();
        maps.forEach(m -> lines.append(m.line()));
        Path proc = Path.of("/proc", Integer.toString(pid));
        write(proc.resolve("setgroups"), "deny\n");
        write(proc.resolve("uid_map"), lines.toString());
        write(proc.resolve("gid_map"), lines.toString());
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw Errors.of("write(" + file.getFileName() + ")", e);
        }
    }

    /** One line from the trampoline, without its newline; what came before EOF if it ended first. */
    private static String readLine(Fd fd) {
        StringBuilder line = new StringBuilder();
        byte[] one = new byte[1];
        while (Linux.read(fd, one) == 1 && one[0] != '\n') {
            line.append((char) one[0]);
        }
        return line.toString();
    }

    private static Fd keep(List<Fd> list, Fd fd) {
        list.add(fd);
        return fd;
    }

    private static void closeAll(List<Fd> fds) {
        for (Fd fd : fds) {
            try {
                fd.close();
            } catch (RuntimeException e) {
                // closing is best effort: the descriptor is gone either way
            }
        }
        fds.clear();
    }
}
