package io.nsscope.sandbox;

import io.nsscope.jna.Descriptors;
import io.nsscope.jna.ExitStatus;
import io.nsscope.jna.Fd;
import io.nsscope.jna.Processes;
import io.nsscope.jna.SyscallException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows started sandboxes to their end: a reaper thread per sandbox waits on its pidfd ({@code waitid}), a
 * reader thread keeps the tail of its output, the timer kills it at its TTL. Ordinary platform threads: they never
 * change namespaces.
 */
final class Tracking {

    private static final Logger log = LoggerFactory.getLogger(Tracking.class);
    private static final long END_WAIT_MILLIS = 10_000;

    private final Registry registry;
    private final ScheduledExecutorService scheduler;
    private final int logBytes;
    private final Consumer<String> onEnd;

    Tracking(Registry registry, ScheduledExecutorService scheduler, int logBytes, Consumer<String> onEnd) {
        this.registry = registry;
        this.scheduler = scheduler;
        this.logBytes = logBytes;
        this.onEnd = onEnd;
    }

    /** Tracks a sandbox this JVM started (and so may reap). */
    void track(Sandbox made, Launcher.Launched launched, CgroupLeaf leaf) {
        LogTail logs = new LogTail(logBytes);
        Tracked t = new Tracked(made, launched.pidfd(), leaf, logs);
        registry.add(t);
        thread(made.id() + "-output", () -> {
            try (Fd out = launched.output()) {
                byte[] buffer = new byte[65536];
                for (int n; (n = Descriptors.read(out, buffer)) > 0; ) {
                    logs.append(buffer, n);
                }
            } catch (SyscallException e) {
                log.debug("sandbox {}: output ended: {}", made.id(), e.getMessage());
            }
        });
        ScheduledFuture<?> expiry = expire(t, made.expiresAt());
        thread(made.id() + "-reaper", () -> {
            ExitStatus status = null;
            try {
                status = Processes.waitExit(t.pidfd(), true);
            } catch (SyscallException e) {
                log.warn("sandbox {}: waiting for its end failed: {}", made.id(), e.getMessage());
            } finally {
                finish(t, status, expiry);
            }
        });
    }

    /** Tracks a sandbox a previous run started: not this JVM's child, so its end is polled. */
    void adopt(Sandbox made, Fd pidfd, CgroupLeaf leaf) {
        Tracked t = new Tracked(made, pidfd, leaf, null);
        registry.add(t);
        ScheduledFuture<?> expiry = expire(t, made.expiresAt());
        AtomicReference<ScheduledFuture<?>> poll = new AtomicReference<>();
        poll.set(scheduler.scheduleWithFixedDelay(
                () -> {
                    if (!Reaping.alive(pidfd)) {
                        finish(t, null, expiry);
                        poll.get().cancel(false);
                    }
                },
                200,
                500,
                TimeUnit.MILLISECONDS));
    }

    /** Kills the sandbox as {@code reason} and waits until it is reaped. */
    void end(Tracked t, SandboxState reason) {
        t.kill(reason);
        try {
            if (!t.awaitEnd(END_WAIT_MILLIS)) {
                log.warn("sandbox {} did not end within {} ms of SIGKILL", t.id(), END_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ScheduledFuture<?> expire(Tracked t, Instant at) {
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis());
        return scheduler.schedule(() -> t.kill(SandboxState.EXPIRED), delay, TimeUnit.MILLISECONDS);
    }

    private void finish(Tracked t, ExitStatus status, ScheduledFuture<?> expiry) {
        expiry.cancel(false);
        t.ended(status, () -> onEnd.accept(t.id()));
    }

    private static void thread(String name, Runnable task) {
        Thread thread = new Thread(task, "sandbox-" + name);
        thread.setDaemon(true);
        thread.start();
    }
}
