package io.nsscope.jna;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a task on a new platform thread that ends with it. The kernel applies {@code unshare(2)} and {@code setns(2)}
 * to the calling thread only; a thread that changed its namespaces must never run anything else (a pooled thread
 * would carry them into unrelated work, a virtual thread's carrier too), so it is thrown away.
 */
public final class ThrowawayThread {

    private ThrowawayThread() {
    }

    /** Runs {@code task} on a fresh platform thread, waits for it, and returns its result or rethrows its exception. */
    public static <T> T call(String name, Callable<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger tid = new AtomicInteger();
        Thread thread = new Thread(() -> {
            tid.set(Linux.gettid());
            try {
                result.set(task.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name);
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
        awaitTaskGone(tid.get());
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

    /**
     * {@code join()} returns when the Java thread is done, a moment before the kernel task has exited and released
     * its namespaces: wait (briefly) until {@code /proc/self/task/<tid>} is gone, so that no thread of nsscope is
     * still in the namespaces when this returns.
     */
    private static void awaitTaskGone(int tid) {
        if (tid == 0) {
            return;
        }
        Path task = Path.of("/proc/self/task/" + tid);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (Files.exists(task) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }
}
