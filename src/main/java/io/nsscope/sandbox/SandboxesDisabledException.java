package io.nsscope.sandbox;

/** {@code nsscope.sandbox.enabled} is false. */
public class SandboxesDisabledException extends RuntimeException {

    public SandboxesDisabledException() {
        super("Sandboxes are disabled. Start nsscope with nsscope.sandbox.enabled=true and a bearer token of at least"
                + " 32 characters in nsscope.sandbox.token or nsscope.sandbox.token-file, as root (with CAP_SYS_ADMIN,"
                + " CAP_SETUID, CAP_SETGID, CAP_KILL, CAP_SETPCAP, CAP_SYS_TIME and CAP_DAC_OVERRIDE).");
    }
}
