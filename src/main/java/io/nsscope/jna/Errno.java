package io.nsscope.jna;

/**
 * The errno values nsscope names, from {@code errno(3)} and {@code asm-generic/errno-base.h}; anything else is
 * {@link #OTHER} and keeps its number in {@link SyscallException#code()}.
 */
public enum Errno {
    /** 1: the caller lacks a privilege (a capability, or the user namespace's ownership). */
    EPERM(1),
    /** 2: no such file. */
    ENOENT(2),
    /** 3: no such process (it exited). */
    ESRCH(3),
    /** 4: interrupted by a signal. */
    EINTR(4),
    /** 7: the argument list (argv and environment) is too long for {@code execve}. */
    E2BIG(7),
    /** 8: not an executable format the kernel knows. */
    ENOEXEC(8),
    /** 9: bad file descriptor. */
    EBADF(9),
    /** 10: no child to wait for. */
    ECHILD(10),
    /** 11: try again (e.g. the process is being created). */
    EAGAIN(11),
    /** 12: out of memory. */
    ENOMEM(12),
    /** 13: permission denied by the file's mode. */
    EACCES(13),
    /** 16: busy. */
    EBUSY(16),
    /** 20: a component of a path is not a directory. */
    ENOTDIR(20),
    /** 22: the kernel refused the arguments or their combination. */
    EINVAL(22),
    /** 23: the system's open-file table is full. */
    ENFILE(23),
    /** 24: this process has as many descriptors open as it may. */
    EMFILE(24),
    /** 25: the file does not support the ioctl (e.g. an old kernel's nsfs). */
    ENOTTY(25),
    /** 26: the executable is open for writing. */
    ETXTBSY(26),
    /** 28: a namespace limit ({@code /proc/sys/user/max_*_namespaces}) was reached. */
    ENOSPC(28),
    /** 32: the pipe's reading end is closed. */
    EPIPE(32),
    /** 36: a path or a component of it is too long. */
    ENAMETOOLONG(36),
    /** 38: the kernel does not have this system call. */
    ENOSYS(38),
    /** 40: too many symbolic links on a path. */
    ELOOP(40),
    /** 87: too many users: the nesting limit of user namespaces (32) was reached. */
    EUSERS(87),
    /** 95: not supported. */
    EOPNOTSUPP(95),
    /** 105: no buffer space: a netlink socket's receive queue overflowed, and messages were dropped. */
    ENOBUFS(105),
    /** Any other errno. */
    OTHER(-1);

    private final int code;

    Errno(int code) {
        this.code = code;
    }

    /** The number, or -1 for {@link #OTHER}. */
    public int code() {
        return code;
    }

    /** The named condition for an errno number. */
    public static Errno of(int code) {
        for (Errno e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return OTHER;
    }
}
