package io.nsscope.jna;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a task on a new platform thread that ends with it. The kernel applies {@code unshare(2)} and {@code setns(2)}
 * to the calling thread only; a thread that changed its namespaces must never run anything else (a pooled thread
 * would carry them into unrelated work, a virtual thread's carrier too), so it is thrown away.
 */
public final class ThrowawayThread {

    private ThrowawayThread() {}

    /** How long {@link #call} waits for the kernel thread to be gone after the Java thread ended. */
    private static final long EXIT_WAIT_NANOS = 1_000_000_000L;

    /**
     * Runs {@code task} on a fresh platform thread, waits for it, and returns its result or rethrows its exception.
     * Returns only once the kernel thread is gone too ({@code /proc/self/task/TID}): {@link Thread#join} returns when
     * the Java thread has ended, a moment before its kernel thread, which until then still holds its namespaces.
     */
    public static <T> T call(String name, Callable<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger tid = new AtomicInteger();
        Thread thread = new Thread(
                () -> {
                    tid.set(Processes.gettid());
                    try {
                        result.set(task.call());
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                // The task cannot be abandoned half-way (it may hold a namespace or a child): wait for it to end.
                interrupted = true;
            }
        }
        awaitKernelThreadExit(tid.get());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
        return result.get();
    }

    private static void awaitKernelThreadExit(int tid) {
        if (tid == 0) {
            return;
        }
        Path task = Path.of("/proc/self/task/" + tid);
        long deadline = System.nanoTime() + EXIT_WAIT_NANOS;
        while (Files.exists(task, LinkOption.NOFOLLOW_LINKS) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
