package io.nsscope.procfs;

/**
 * The process exited (and was reaped, or is exiting) while it was being read. This is normal on a live host:
 * the scanner skips the process and counts it, it is never an error shown to a user.
 */
public final class ProcessVanishedException extends RuntimeException {

    private final int pid;

    public ProcessVanishedException(int pid, Throwable cause) {
        super("process " + pid + " vanished while being read", cause, false, false);
        this.pid = pid;
    }

    public int pid() {
        return pid;
    }
}
