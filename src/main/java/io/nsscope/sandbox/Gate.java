package io.nsscope.sandbox;

import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Errno;
import io.nsscope.jna.Fd;
import io.nsscope.jna.Processes;
import io.nsscope.jna.SyscallException;
import io.nsscope.namespace.IdRange;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcStatus;
import io.nsscope.procfs.ProcessVanishedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What stands between a started chain ({@link Trampoline}) and its command, in this order: the process goes into
 * its cgroup; the chain says {@code r} (its privileges are dropped, its user namespace made); explicit id maps are
 * written; the {@code uid_map} and {@code gid_map} the kernel shows are compared with those asked for, and the
 * process's real, effective, saved and file-system UIDs and GIDs with its pool UID; then the environment is sent,
 * which releases the command; the status pipe's end (closed by a successful exec) or an errno (a failed one)
 * closes the start. A fault, or {@code nsscope.sandbox.start-timeout}, kills the process and its cgroup and reaps it.
 */
final class Gate {

    private static final ProcFs PROC = new ProcFs(java.nio.file.Path.of("/proc"));
    private static final byte[] GO = "go\n".getBytes(StandardCharsets.US_ASCII);

    private final LaunchPlan plan;
    private final int pid;
    private final Fd pidfd;
    private final CgroupLeaf leaf;
    private final Fd placed;
    private final Fd status;
    private final Fd env;
    private final Fd output;
    private boolean aborted;

    Gate(LaunchPlan plan, int pid, Fd pidfd, CgroupLeaf leaf, Fd placed, Fd status, Fd env, Fd output) {
        this.plan = plan;
        this.pid = pid;
        this.pidfd = pidfd;
        this.leaf = leaf;
        this.placed = placed;
        this.status = status;
        this.env = env;
        this.output = output;
    }

    /** Goes through the steps; on any failure the chain is gone when this throws. */
    void open(ScheduledExecutorService scheduler) {
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> watchdog = scheduler.schedule(
                () -> {
                    late.set(true);
                    kill();
                },
                plan.startTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            if (leaf != null) {
                leaf.add(pid);
            }
            // first in line for the OOM killer, before nsscope, which shares a memory budget with it in a pod
            Descriptors.writeFile(
                    PROC.pidDir(pid).resolve("oom_score_adj"),
                    "1000".getBytes(StandardCharsets.US_ASCII),
                    "write(oom_score_adj)");
            if (placed != null) {
                Descriptors.write(placed, GO);
                placed.close();
            }
            if (!"r".equals(read(1))) {
                throw failed("its start-up steps failed", late);
            }
            if (plan.nsscopeWritesMaps()) {
                writeMaps();
            }
            checkMaps();
            checkIds();
            try {
                Descriptors.write(env, environment());
            } catch (SyscallException e) {
                throw failed("it ended before its command could start (" + e.errno() + ")", late);
            }
            env.close();
            String exec = read(64);
            // a watchdog that ran (or runs) cannot be undone: the start counts as failed
            if (!watchdog.cancel(false) || late.get()) {
                throw failed("its start took too long", late);
            }
            if (exec.startsWith("e")) {
                throw execFailed(exec.substring(1));
            }
        } catch (RuntimeException e) {
            abort();
            throw e;
        } finally {
            watchdog.cancel(false);
        }
    }

    private RuntimeException failed(String why, AtomicBoolean late) {
        abort();
        return new SandboxStartException(
                "The sandbox did not start: " + (late.get() ? "it took longer than " + plan.startTimeout() : why)
                        + "; see output",
                Reaping.drain(output, 8192));
    }

    /** The last step could not exec the command: a fault of the request where the errno says so. */
    private RuntimeException execFailed(String errno) {
        int code;
        try {
            code = Integer.parseInt(errno.trim());
        } catch (NumberFormatException e) {
            code = -1;
        }
        if (code < 0) {
            return new SandboxStartException("The sandbox did not start: its last step gave up.", "");
        }
        Errno named = Errno.of(code);
        String exe = plan.command().get(0);
        return switch (named) {
            case EACCES, EPERM, ENOEXEC ->
                new SandboxRequestException(
                        "command[0]",
                        "The sandbox's UID " + plan.hostUid() + " cannot execute " + exe + ": " + named + ".");
            case ENOENT ->
                new SandboxRequestException(
                        "command[0]",
                        exe + " cannot be executed in the sandbox:"
                                + " ENOENT (its ELF interpreter or a library is missing there).");
            case ETXTBSY -> new SandboxRequestException("command[0]", exe + " is open for writing: ETXTBSY.");
            case E2BIG ->
                new SandboxRequestException(
                        "command", "The command's arguments and environment are too" + " long for the kernel: E2BIG.");
            default ->
                new SandboxStartException(
                        "The sandbox's command could not be executed: "
                                + (named == Errno.OTHER ? "errno " + code : named.name()) + ".",
                        "");
        };
    }

    /** The command's environment: entries each ended by a NUL, then one more NUL. */
    private byte[] environment() {
        StringBuilder text = new StringBuilder();
        plan.env().forEach(e -> text.append(e).append('\0'));
        return text.append('\0').toString().getBytes(StandardCharsets.UTF_8);
    }

    private void writeMaps() {
        StringBuilder lines = new StringBuilder();
        plan.idMaps().forEach(m -> lines.append(m.line()));
        byte[] maps = lines.toString().getBytes(StandardCharsets.US_ASCII);
        java.nio.file.Path dir = PROC.pidDir(pid);
        Descriptors.writeFile(
                dir.resolve("setgroups"), "deny\n".getBytes(StandardCharsets.US_ASCII), "write(setgroups)");
        Descriptors.writeFile(dir.resolve("uid_map"), maps, "write(uid_map)");
        Descriptors.writeFile(dir.resolve("gid_map"), maps, "write(gid_map)");
    }

    /** The maps the kernel shows must be exactly those asked for (none without a user namespace: not checked). */
    private void checkMaps() {
        if (plan.user() == null) {
            return;
        }
        List<IdRange> expected = plan.idMaps().stream()
                .sorted(Comparator.comparingLong(IdRange::inside))
                .toList();
        try {
            List<IdRange> uids =
                    sorted(io.nsscope.procfs.IdMap.readUidMap(PROC, pid).ranges());
            List<IdRange> gids =
                    sorted(io.nsscope.procfs.IdMap.readGidMap(PROC, pid).ranges());
            if (!uids.equals(expected) || !gids.equals(expected)) {
                throw new SandboxStartException(
                        "The sandbox's user namespace does not have the id maps asked for" + " (uid_map " + uids
                                + ", gid_map " + gids + ", asked " + expected + "); it was killed.",
                        "");
            }
        } catch (IOException | ProcessVanishedException e) {
            throw new SandboxStartException("The sandbox's id maps cannot be read back: " + e.getMessage(), "");
        }
    }

    /** Every UID and GID of the process, as the host sees them, must be its pool UID: never 0, never another. */
    private void checkIds() {
        ProcStatus s;
        try {
            s = ProcStatus.read(PROC, pid);
        } catch (IOException | ProcessVanishedException e) {
            throw new SandboxStartException("The sandbox's ids cannot be read: " + e.getMessage(), "");
        }
        boolean ok = s.uids().size() == 4
                && s.gids().size() == 4
                && s.uids().stream().allMatch(u -> Integer.toUnsignedLong(u) == plan.hostUid())
                && s.gids().stream().allMatch(g -> g == plan.hostUid());
        if (!ok) {
            throw new SandboxStartException(
                    "The sandbox's process runs as UIDs " + s.uids() + " and GIDs " + s.gids()
                            + ", not as its pool UID " + plan.hostUid() + "; it was killed.",
                    "");
        }
    }

    private static List<IdRange> sorted(List<IdRange> ranges) {
        return ranges.stream().sorted(Comparator.comparingLong(IdRange::inside)).toList();
    }

    /** Up to {@code max} bytes from the status pipe, until its end: what the chain said. */
    private String read(int max) {
        byte[] buffer = new byte[max];
        int n = 0;
        while (n < max) {
            byte[] one = new byte[max - n];
            int got = Descriptors.read(status, one);
            if (got <= 0) {
                break;
            }
            System.arraycopy(one, 0, buffer, n, got);
            n += got;
        }
        return new String(buffer, 0, n, StandardCharsets.US_ASCII);
    }

    /**
     * SIGKILL to the cgroup and the chain; from the watchdog too, so under the lock that {@link #abort} closes the
     * pidfd under: a signal never goes to a descriptor number closed and reused meanwhile.
     */
    private synchronized void kill() {
        if (aborted) {
            return;
        }
        if (leaf != null) {
            try {
                leaf.kill();
            } catch (SyscallException e) {
                // the pidfd below still ends the chain itself
            }
        }
        Reaping.killQuietly(pidfd);
    }

    private synchronized void abort() {
        if (aborted) {
            return;
        }
        kill();
        aborted = true;
        Processes.waitExit(pidfd, true);
        pidfd.close();
    }
}
