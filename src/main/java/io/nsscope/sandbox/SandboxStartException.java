package io.nsscope.sandbox;

/** The sandbox's start-up steps (mounting /proc, dropping privileges...) failed; its process was killed and reaped. */
public class SandboxStartException extends RuntimeException {

    private final String output;

    public SandboxStartException(String message, String output) {
        super(message);
        this.output = output;
    }

    /** What the start-up steps wrote to stdout and stderr (their error messages). */
    public String output() {
        return output;
    }
}
