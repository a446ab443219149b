package io.nsscope.sandbox;

import io.nsscope.jna.Errno;
import io.nsscope.jna.SyscallException;

/**
 * Failed system calls as {@link SandboxSyscallException}s that say what the errno means for a sandbox. The errno is
 * always the one the call set ({@link SyscallException#code()}), never read from a message: every write to a kernel
 * file (id maps, time offsets, cgroup files) goes through {@code jna}, not Java's I/O, whose messages are the C
 * library's localised {@code strerror} text.
 */
final class Errors {

    private static final int ERANGE = 34;

    private Errors() {}

    static SandboxSyscallException of(SyscallException e) {
        Errno errno = e.errno();
        String meaning = switch (errno) {
            case EPERM, EACCES ->
                "nsscope lacks a privilege it needs (run it as root with CAP_SYS_ADMIN,"
                        + " CAP_SETUID, CAP_SETGID, CAP_KILL, CAP_SETPCAP, CAP_SYS_TIME and CAP_DAC_OVERRIDE)";
            case ENOSPC, EUSERS -> "a namespace limit (/proc/sys/user/max_*_namespaces) was reached";
            case EAGAIN, ENOMEM -> "the kernel is short of resources";
            case EINVAL -> "the kernel refused this combination of namespaces or values";
            case ENOENT -> "a file the start-up needs is missing";
            default ->
                e.code() == ERANGE ? "the kernel refused the value as out of range" : "the kernel refused the call";
        };
        String condition = errno != Errno.OTHER ? errno.name() : e.code() == ERANGE ? "ERANGE" : "errno " + e.code();
        return new SandboxSyscallException(e.syscall(), condition, e.code(), meaning);
    }
}
