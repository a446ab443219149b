package io.nsscope.sandbox;

import io.nsscope.jna.ExitStatus;
import io.nsscope.jna.Fd;
import io.nsscope.jna.Linux;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One sandbox nsscope tracks: what it was made as, and its mutable end. Its pidfd is signalled and closed only
 * under this object's lock, so a kill can never reach a process that reused a closed descriptor's number.
 */
final class Tracked {

    private final Sandbox made;
    private final Fd pidfd;
    private final boolean ownPidNamespace;
    private final LogTail logs;
    private final Path proc;
    private final CountDownLatch ended = new CountDownLatch(1);
    private SandboxState state = SandboxState.RUNNING;
    private SandboxState endAs;
    private ExitStatus exit;
    private Instant endedAt;
    private boolean closed;

    Tracked(Sandbox made, Fd pidfd, boolean ownPidNamespace, LogTail logs, Path proc) {
        this.made = made;
        this.pidfd = pidfd;
        this.ownPidNamespace = ownPidNamespace;
        this.logs = logs;
        this.proc = proc;
    }

    String id() {
        return made.id();
    }

    int pid() {
        return made.pid();
    }

    Sandbox made() {
        return made;
    }

    LogTail logs() {
        return logs;
    }

    Fd pidfd() {
        return pidfd;
    }

    synchronized boolean running() {
        return state == SandboxState.RUNNING;
    }

    /**
     * Kills the whole sandbox: PID 1 of its pid namespace takes the rest with it; without one, its process group
     * and every process marked with its id go too. {@code reason} is the state it ends in (unless it already ended).
     */
    synchronized void kill(SandboxState reason) {
        if (state != SandboxState.RUNNING) {
            return;
        }
        if (endAs == null) {
            endAs = reason;
        }
        if (!closed) {
            Reaping.killQuietly(pidfd);
        }
        if (!ownPidNamespace) {
            Reaping.killGroupQuietly(made.pid());
            Reaping.killMarked(proc, made.id());
        }
    }

    /** Its first process ended (reaped, or gone if adopted): the rest of it is killed, the pidfd closed. */
    void ended(ExitStatus status) {
        synchronized (this) {
            if (state != SandboxState.RUNNING) {
                return;
            }
            if (!ownPidNamespace) {
                Reaping.killGroupQuietly(made.pid());
                Reaping.killMarked(proc, made.id());
            }
            exit = status;
            state = endAs != null ? endAs : SandboxState.EXITED;
            endedAt = Instant.now();
            closed = true;
            pidfd.close();
        }
        ended.countDown();
    }

    /** Waits for {@link #ended} at most {@code millis}. */
    boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    synchronized Sandbox view() {
        Sandbox m = made;
        return new Sandbox(m.id(), m.pid(), m.nspid(), m.namespaces(), m.created(), m.hostname(), m.uidMap(),
                m.gidMap(), m.hostUid(), state, exit == null ? null : exit.exitCode(),
                exit == null ? null : exit.signal(), m.createdAt(), m.expiresAt(), endedAt, m.command(),
                m.adopted());
    }

    synchronized Instant endedAt() {
        return endedAt;
    }

    static List<String> names(java.util.Collection<io.nsscope.namespace.NamespaceType> types) {
        return types.stream().map(io.nsscope.namespace.NamespaceType::kernelName).sorted().toList();
    }
}
