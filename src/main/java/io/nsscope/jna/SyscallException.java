package io.nsscope.jna;

/**
 * A system call failed: which one, and the errno it set as a named condition. The only exception that leaves the
 * {@code jna} package for a failed native call (JNA's {@code LastErrorException} never does).
 */
public class SyscallException extends RuntimeException {

    private final String syscall;
    private final int code;

    public SyscallException(String syscall, int code) {
        super(syscall + " failed: " + Errno.of(code) + " (errno " + code + ")");
        this.syscall = syscall;
        this.code = code;
    }

    /** The system call or libc function, e.g. {@code unshare}. */
    public String syscall() {
        return syscall;
    }

    /** The errno as a named condition. */
    public Errno errno() {
        return Errno.of(code);
    }

    /** The errno number. */
    public int code() {
        return code;
    }
}
