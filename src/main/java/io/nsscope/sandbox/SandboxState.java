package io.nsscope.sandbox;

/** Where a sandbox is in its life. */
public enum SandboxState {
    /** Its first process runs. */
    RUNNING,
    /** Its first process ended on its own (with an exit code or a signal). */
    EXITED,
    /** Ended by {@code DELETE} or by nsscope's shutdown. */
    KILLED,
    /** Ended at its TTL. */
    EXPIRED
}
