package io.nsscope.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link FixtureProcFs} whose listing of processes throws what the test sets with {@link #fault}, until it is
 * cleared: a JVM {@link Error} (JNA's {@code UnsatisfiedLinkError}, an {@code OutOfMemoryError}), a bug, or the
 * procfs going away.
 */
public class FaultyProcFs extends FixtureProcFs {

    private final AtomicReference<Throwable> fault = new AtomicReference<>();

    public FaultyProcFs(Path root) {
        super(root);
    }

    /** Makes every later scan fail with this ({@code null}: scans succeed again). */
    public void fault(Throwable t) {
        fault.set(t);
    }

    @Override
    public int[] pids() throws IOException {
        Throwable t = fault.get();
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof IOException e) {
            throw e;
        }
        return super.pids();
    }
}
