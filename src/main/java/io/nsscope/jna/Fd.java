package io.nsscope.jna;

/** A file descriptor nsscope opened, closed once by {@link #close()} (further calls do nothing). */
public final class Fd implements AutoCloseable {

    private final int value;
    private boolean closed;

    Fd(int value) {
        this.value = value;
    }

    /** The descriptor's number. */
    public int value() {
        return value;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Descriptors.close(value);
        }
    }

    @Override
    public String toString() {
        return "fd " + value;
    }
}
