package io.nsscope.sandbox;

/**
 * The kernel refused a step of creating a sandbox; nothing of it was left behind.
 *
 * @see #condition()
 */
public class SandboxSyscallException extends RuntimeException {

    private final String syscall;
    private final String condition;
    private final int code;

    public SandboxSyscallException(String syscall, String condition, int code, String meaning) {
        super(syscall + " failed with " + condition + " (errno " + code + "): " + meaning);
        this.syscall = syscall;
        this.condition = condition;
        this.code = code;
    }

    /** The system call, e.g. {@code unshare}. */
    public String syscall() {
        return syscall;
    }

    /** The errno's name, e.g. {@code EPERM}, {@code ENOSPC}, {@code EINVAL}. */
    public String condition() {
        return condition;
    }

    /** The errno number. */
    public int code() {
        return code;
    }
}
