package io.nsscope.sandbox;

/** A limit of {@code nsscope.sandbox.*} refuses a new sandbox now: too many run, or too many were just created. */
public class SandboxLimitException extends RuntimeException {

    private final long retryAfterSeconds;

    public SandboxLimitException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** When to try again, in seconds. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
