package io.nsscope.sandbox;

/** {@code nsscope.sandbox.enabled} is false. */
public class SandboxesDisabledException extends RuntimeException {

    public SandboxesDisabledException() {
        super("Sandboxes are disabled. Start nsscope with nsscope.sandbox.enabled=true and a bearer token of at least"
                + " 32 characters in nsscope.sandbox.token or nsscope.sandbox.token-file (as root, or with"
                + " CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID and CAP_KILL).");
    }
}
