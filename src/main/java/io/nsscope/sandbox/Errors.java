package io.nsscope.sandbox;

import io.nsscope.jna.Errno;
import io.nsscope.jna.SyscallException;
import java.io.IOException;

/** Failed system calls as {@link SandboxSyscallException}s that say what the errno means for a sandbox. */
final class Errors {

    private Errors() {
    }

    static SandboxSyscallException of(SyscallException e) {
        return of(e.syscall(), e.errno(), e.code());
    }

    /** A failed write to a procfs file ({@code uid_map}, {@code timens_offsets}): Java names only the errno's text. */
    static SandboxSyscallException of(String call, IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return of(call, Errno.EACCES, Errno.EACCES.code());
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return of(call, Errno.ENOENT, Errno.ENOENT.code());
        }
        String message = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : String.valueOf(e.getMessage());
        if (message.contains("out of range")) {
            return new SandboxSyscallException(call, "ERANGE", 34, "the kernel refused the value as out of range");
        }
        Errno errno = message.contains("Invalid argument") ? Errno.EINVAL
                : message.contains("Operation not permitted") ? Errno.EPERM
                : message.contains("Permission denied") ? Errno.EACCES : Errno.OTHER;
        return of(call, errno, errno == Errno.OTHER ? -1 : errno.code());
    }

    private static SandboxSyscallException of(String call, Errno errno, int code) {
        String meaning = switch (errno) {
            case EPERM, EACCES -> "nsscope lacks a privilege it needs (run it as root with CAP_SYS_ADMIN,"
                    + " CAP_SETUID, CAP_SETGID, CAP_KILL, CAP_SETPCAP, CAP_SYS_TIME and CAP_DAC_OVERRIDE)";
            case ENOSPC, EUSERS -> "a namespace limit (/proc/sys/user/max_*_namespaces) was reached";
            case EAGAIN, ENOMEM -> "the kernel is short of resources";
            case EINVAL -> "the kernel refused this combination of namespaces or values";
            case ENOENT -> "a file the start-up needs is missing";
            default -> "the kernel refused the call";
        };
        return new SandboxSyscallException(call, errno == Errno.OTHER ? "errno " + code : errno.name(), code, meaning);
    }
}
