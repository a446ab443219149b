package io.nsscope.sandbox;

import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Errno;
import io.nsscope.jna.Fd;
import io.nsscope.jna.Mounts;
import io.nsscope.jna.Namespaces;
import io.nsscope.jna.PosixSpawn;
import io.nsscope.jna.Processes;
import io.nsscope.jna.SyscallException;
import io.nsscope.jna.ThrowawayThread;
import io.nsscope.namespace.NamespaceType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Starts a sandbox's first process. Every descriptor, pipe and piece of native memory is made first; then a
 * {@link ThrowawayThread}, which stays root and never changes its credentials, unshares the non-user namespaces,
 * sets the host name, makes {@code /} private, mounts /sys for a new network namespace, writes the time offsets to
 * its own {@code /proc/TID/timens_offsets} and {@code posix_spawn}s the {@link Trampoline} (and, from Linux 6.17,
 * mounts the new pid namespace's /proc); the thread ends and takes its namespaces with it. Then, before the command
 * may run ({@link Gate}): the process goes into its cgroup, the chain reports that its privileges are dropped (and
 * its user namespace made), nsscope writes explicit id maps, reads the maps and the process's ids back and compares
 * them with what was asked, and only then sends the environment that releases the command. On any failure the
 * process (and its cgroup) is killed and reaped and every descriptor closed.
 */
final class Launcher {

    /** A started sandbox: its PID, a pidfd for it (a child of this JVM, to reap) and the read end of its output. */
    record Launched(int pid, Fd pidfd, Fd output) {}

    private final Tools tools;
    private final ScheduledExecutorService scheduler;

    Launcher(Tools tools, ScheduledExecutorService scheduler) {
        this.tools = tools;
        this.scheduler = scheduler;
    }

    /** Launches {@code plan}, execing {@code exe}; {@code leaf} (null without cgroups) receives the process. */
    Launched launch(LaunchPlan plan, Executable exe, CgroupLeaf leaf) {
        List<Fd> childSide = new ArrayList<>();
        List<Fd> parentSide = new ArrayList<>();
        Trampoline.Start start = Trampoline.of(tools, plan);
        Fd pidfd = null;
        int pid = 0;
        try {
            Fd devNull = keep(childSide, Descriptors.open(Path.of("/dev/null")));
            Fd[] log = Descriptors.pipe();
            Fd output = keep(parentSide, log[0]);
            keep(childSide, log[1]);
            Fd[] env = Descriptors.pipe();
            keep(childSide, env[0]);
            Fd envOut = keep(parentSide, env[1]);
            Fd[] status = Descriptors.pipe();
            Fd statusIn = keep(parentSide, status[0]);
            keep(childSide, status[1]);
            Fd placed = null;
            List<Integer> fds = new ArrayList<>(List.of(
                    devNull.value(),
                    0,
                    log[1].value(),
                    1,
                    log[1].value(),
                    2,
                    exe.fd().value(),
                    Trampoline.EXECUTABLE_FD,
                    env[0].value(),
                    Trampoline.ENVIRONMENT_FD,
                    status[1].value(),
                    Trampoline.STATUS_FD));
            if (plan.cgroupNamespaceInLeaf()) {
                Fd[] placedPipe = Descriptors.pipe();
                keep(childSide, placedPipe[0]);
                placed = keep(parentSide, placedPipe[1]);
                fds.addAll(List.of(placedPipe[0].value(), Trampoline.PLACED_FD));
            }
            int[] fdMap = fds.stream().mapToInt(Integer::intValue).toArray();
            try (PosixSpawn spawn = PosixSpawn.prepare(start.path(), start.argv(), List.of(), fdMap)) {
                pid = ThrowawayThread.call("sandbox-" + plan.id(), () -> enterAndSpawn(plan, spawn));
            } finally {
                closeAll(childSide);
            }
            try {
                pidfd = Processes.pidfdOpen(pid);
            } catch (SyscallException e) {
                Reaping.killGroupQuietly(pid); // the chain leads its own session; it stays a zombie until exit
                throw e;
            }
            new Gate(plan, pid, pidfd, leaf, placed, statusIn, envOut, output).open(scheduler);
            parentSide.remove(output);
            return new Launched(pid, pidfd, output);
        } catch (SyscallException e) {
            throw Errors.of(e);
        } finally {
            closeAll(parentSide);
        }
    }

    /** On the throwaway thread: from {@code unshare} to the child's start, allocating no JNA memory. */
    private static int enterAndSpawn(LaunchPlan plan, PosixSpawn spawn) {
        Fd offsets = plan.timeOffsets() == null
                ? null
                : Descriptors.openForWriting(Path.of("/proc/" + Processes.gettid() + "/timens_offsets"));
        byte[] offsetBytes = plan.timeOffsets() == null
                ? null
                : plan.timeOffsets().fileContent().getBytes(StandardCharsets.US_ASCII);
        try {
            if (plan.flags() != 0) {
                Namespaces.unshare(plan.flags());
            }
            if (plan.hostname() != null) {
                Namespaces.sethostname(plan.hostname());
            }
            if (plan.newMount()) {
                Mounts.mount(null, "/", null, Mounts.MS_REC | Mounts.MS_PRIVATE, null);
                hideNsscopesMounts(plan);
            }
            if (plan.remountSys()) {
                try {
                    Mounts.mount("sysfs", "/sys", "sysfs", Mounts.MS_NOSUID | Mounts.MS_NODEV | Mounts.MS_NOEXEC, null);
                } catch (SyscallException e) {
                    // best effort, as in a container without the right to: /sys then shows the host's devices
                }
            }
            if (offsets != null) {
                try {
                    Descriptors.write(offsets, offsetBytes);
                } catch (SyscallException e) {
                    throw new SyscallException("write(timens_offsets)", e.code());
                }
            }
            int pid = spawn.start();
            if (plan.mountProc() && plan.kernelProc()) {
                mountProcOf(pid);
            }
            return pid;
        } finally {
            if (offsets != null) {
                offsets.close();
            }
        }
    }

    /**
     * In the sandbox's new mount namespace (a copy of nsscope's): detaches nsscope's own mounts it must not see (the
     * host's procfs at another path, the token's directory, nsscope's cgroup2; a path that is no mount point is
     * skipped), and puts a fresh tmpfs on /tmp, /var/tmp and /dev/shm, so that it shares no scratch space with
     * nsscope or another sandbox. The launching thread is root of the initial user namespace, so none of these
     * mounts is locked.
     */
    private static void hideNsscopesMounts(LaunchPlan plan) {
        for (String path : plan.hidden()) {
            try {
                Mounts.detach(path);
            } catch (SyscallException e) {
                if (e.errno() != Errno.EINVAL && e.errno() != Errno.ENOENT) {
                    throw e; // EINVAL: not a mount point; ENOENT: not there
                }
            }
        }
        for (String tmp : List.of("/tmp", "/var/tmp", "/dev/shm")) {
            try {
                Mounts.mount("tmpfs", tmp, "tmpfs", Mounts.MS_NOSUID | Mounts.MS_NODEV, "mode=1777,size=64m");
            } catch (SyscallException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e; // ENOENT: no such directory here
                }
            }
        }
    }

    /**
     * Mounts, in the launching thread's new mount namespace, the procfs of {@code pid}'s pid namespace; on failure
     * the child is killed and reaped here, the only place that knows it.
     */
    private static void mountProcOf(int pid) {
        try {
            Mounts.mount(
                    "proc",
                    "/proc",
                    "proc",
                    Mounts.MS_NOSUID | Mounts.MS_NODEV | Mounts.MS_NOEXEC,
                    "pidns=/proc/" + pid + "/ns/pid");
        } catch (SyscallException e) {
            try (Fd pidfd = Processes.pidfdOpen(pid)) {
                Reaping.killQuietly(pidfd);
                Processes.waitExit(pidfd, true);
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
                Namespaces.unshare(NamespaceType.MNT.cloneFlag() | NamespaceType.PID.cloneFlag());
                Mounts.mount(null, "/", null, Mounts.MS_REC | Mounts.MS_PRIVATE, null);
                int pid = PosixSpawn.run("/bin/sleep", List.of("sleep", "60"), List.of());
                try (Fd pidfd = Processes.pidfdOpen(pid)) {
                    try {
                        Mounts.mount(
                                "proc",
                                "/proc",
                                "proc",
                                Mounts.MS_NOSUID | Mounts.MS_NODEV | Mounts.MS_NOEXEC,
                                "pidns=/proc/" + pid + "/ns/pid");
                        return true;
                    } catch (SyscallException e) {
                        return false;
                    } finally {
                        Reaping.killQuietly(pidfd);
                        Processes.waitExit(pidfd, true);
                    }
                }
            });
        } catch (SyscallException e) {
            return false;
        }
    }

    private static Fd keep(List<Fd> list, Fd fd) {
        list.add(fd);
        return fd;
    }

    static void closeAll(List<Fd> fds) {
        for (Fd fd : fds) {
            try {
                fd.close();
            } catch (SyscallException e) {
                // closing is best effort: the descriptor is gone either way (EBADF, EINTR)
            }
        }
        fds.clear();
    }
}
