package io.nsscope.sandbox;

import io.nsscope.jna.ExitStatus;
import io.nsscope.jna.Fd;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One sandbox nsscope tracks: what it was made as, and its mutable end. Its pidfd is signalled and closed only
 * under this object's lock, so a kill can never reach a process that reused a closed descriptor's number.
 */
final class Tracked {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Tracked.class);
    private static final java.time.Duration LEAF_WAIT = java.time.Duration.ofSeconds(5);

    private final Sandbox made;
    private final Fd pidfd;
    private final CgroupLeaf leaf;
    private final LogTail logs;
    private final CountDownLatch ended = new CountDownLatch(1);
    private SandboxState state = SandboxState.RUNNING;
    private SandboxState endAs;
    private ExitStatus exit;
    private Instant endedAt;
    private boolean closed;

    Tracked(Sandbox made, Fd pidfd, CgroupLeaf leaf, LogTail logs) {
        this.made = made;
        this.pidfd = pidfd;
        this.leaf = leaf;
        this.logs = logs;
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

    /** Its cgroup leaf, or null (a sandbox with a pid namespace where cgroup v2 cannot be used). */
    CgroupLeaf leaf() {
        return leaf;
    }

    /**
     * Kills the whole sandbox: {@code cgroup.kill} ends every process in its cgroup at once (without cgroups it has
     * a pid namespace, whose PID 1 takes the rest with it). {@code reason} is the state it ends in (unless it already
     * ended).
     */
    synchronized void kill(SandboxState reason) {
        if (state != SandboxState.RUNNING) {
            return;
        }
        if (endAs == null) {
            endAs = reason;
        }
        if (leaf != null) {
            leaf.kill();
        }
        if (!closed) {
            Reaping.killQuietly(pidfd);
        }
    }

    /**
     * Its first process ended (reaped, or gone if adopted): the rest of it is killed and its cgroup removed, then the
     * pidfd closed, then {@code released} runs (once, for the sandbox's own end), before anyone waiting in
     * {@link #awaitEnd} goes on: a {@code DELETE} answers only once the sandbox's slot is free again.
     */
    void ended(ExitStatus status, Runnable released) {
        if (leaf != null && !leaf.killAndRemove(LEAF_WAIT)) {
            log.warn("sandbox {}: its cgroup {} is still populated after cgroup.kill", made.id(), leaf.dir());
        }
        synchronized (this) {
            if (state != SandboxState.RUNNING) {
                return;
            }
            exit = status;
            state = endAs != null ? endAs : SandboxState.EXITED;
            endedAt = Instant.now();
            closed = true;
            pidfd.close();
        }
        try {
            released.run();
        } finally {
            ended.countDown();
        }
    }

    /** Waits for {@link #ended} at most {@code millis}. */
    boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    synchronized Sandbox view() {
        Sandbox m = made;
        return new Sandbox(
                m.id(),
                m.pid(),
                m.nspid(),
                m.namespaces(),
                m.created(),
                m.hostname(),
                m.uidMap(),
                m.gidMap(),
                m.hostUid(),
                state,
                exit == null ? null : exit.exitCode(),
                exit == null ? null : exit.signal(),
                m.createdAt(),
                m.expiresAt(),
                endedAt,
                m.command(),
                m.adopted());
    }

    synchronized Instant endedAt() {
        return endedAt;
    }

    static List<String> names(java.util.Collection<io.nsscope.namespace.NamespaceType> types) {
        return types.stream()
                .map(io.nsscope.namespace.NamespaceType::kernelName)
                .sorted()
                .toList();
    }
}
