package io.nsscope.sandbox;

import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Errno;
import io.nsscope.jna.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One sandbox's cgroup v2 directory (cgroups(7), the kernel's {@code cgroup-v2.rst}): its processes are moved in
 * before the command runs, every process they start stays in it (a pool UID cannot write any {@code cgroup.procs}),
 * and {@code cgroup.kill} ends all of them at once, new forks and {@code setsid} daemons included.
 *
 * @param dir the directory, {@code <parent>/<sandbox id>}
 */
record CgroupLeaf(Path dir) {

    /** Moves the process {@code pid} (as nsscope's pid namespace numbers it) in: {@code cgroup.procs}. */
    void add(int pid) {
        Descriptors.writeFile(dir.resolve("cgroup.procs"), ascii(Integer.toString(pid)), "write(cgroup.procs)");
    }

    /** The processes in it now ({@code cgroup.procs}), ascending; empty once removed. */
    List<Integer> pids() {
        try {
            return Files.readAllLines(dir.resolve("cgroup.procs")).stream()
                    .filter(l -> !l.isBlank())
                    .map(l -> Integer.parseInt(l.trim()))
                    .sorted()
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a control file, e.g. {@code pids.max}. */
    void set(String file, String value) {
        Descriptors.writeFile(dir.resolve(file), ascii(value), "write(" + file + ")");
    }

    /** SIGKILL to every process in it ({@code cgroup.kill}, Linux 5.14+); a leaf already removed is fine. */
    void kill() {
        try {
            Descriptors.writeFile(dir.resolve("cgroup.kill"), ascii("1"), "write(cgroup.kill)");
        } catch (SyscallException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
    }

    /** Whether a process is left in it ({@code populated 1} of {@code cgroup.events}); false once removed. */
    boolean populated() {
        try {
            return Files.readString(dir.resolve("cgroup.events")).contains("populated 1");
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Kills what is in it, waits until it is empty (at most {@code timeout}) and removes it.
     *
     * @return whether it is gone
     */
    boolean killAndRemove(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        kill();
        while (populated() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000);
        }
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
