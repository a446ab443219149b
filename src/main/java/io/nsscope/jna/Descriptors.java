package io.nsscope.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.nio.file.Path;

/**
 * File descriptors: opening a file (to read, to write, or as a location only), {@code fstat(2)}, pipes,
 * {@code read(2)}, {@code write(2)} and {@code close(2)}. Each failure is a {@link SyscallException} with the errno
 * of the call. Directly mapped: the scan opens and stats every namespace file.
 */
public final class Descriptors {

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_NOFOLLOW = 0x20000;
    private static final int O_PATH = 0x200000;

    /** Directly mapped, and bound when this class is first used (never later, on a thread that changed namespaces). */
    private static final class Direct {
        static native int open(String path, int flags) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native int fstat(int fd, long[] stat) throws LastErrorException;

        static native int pipe2(int[] fds, int flags) throws LastErrorException;

        static native long read(int fd, byte[] buf, long count) throws LastErrorException;

        static native long write(int fd, byte[] buf, long count) throws LastErrorException;
    }

    static {
        Native.register(Direct.class, Libc.NAME);
    }

    private Descriptors() {}

    /** Opens a file read-only and close-on-exec, e.g. {@code /proc/PID/ns/net}. */
    public static Fd open(Path path) {
        return open(path, O_RDONLY | Libc.O_CLOEXEC);
    }

    /**
     * Opens a file for writing, close-on-exec and without following a final symbolic link: a kernel file such as
     * {@code /proc/PID/uid_map} or a cgroup's {@code cgroup.procs}.
     */
    public static Fd openForWriting(Path path) {
        return open(path, O_WRONLY | Libc.O_CLOEXEC | O_NOFOLLOW);
    }

    /**
     * Opens a file as a location only ({@code O_PATH}, close-on-exec), following symbolic links: a descriptor that
     * keeps naming the same inode whatever later happens to the path, for {@link #status} and {@code execveat(2)}.
     */
    public static Fd openPath(Path path) {
        return open(path, O_PATH | Libc.O_CLOEXEC);
    }

    private static Fd open(Path path, int flags) {
        try {
            return new Fd(Direct.open(path.toString(), flags));
        } catch (LastErrorException e) {
            throw Libc.fail("open", e);
        }
    }

    /**
     * Writes {@code content} to a kernel file in one {@code write(2)}, as such files need (a procfs map or a cgroup
     * control file takes one write); the errno of the open or the write, never a message, says why it failed.
     *
     * @param call the name the failure carries, e.g. {@code write(uid_map)}
     */
    public static void writeFile(Path path, byte[] content, String call) {
        try (Fd fd = openForWriting(path)) {
            int n = (int) Direct.write(fd.value(), content, content.length);
            if (n != content.length) {
                throw new SyscallException(call + " (short write)", Errno.EINVAL.code());
            }
        } catch (LastErrorException e) {
            throw Libc.fail(call, e);
        } catch (SyscallException e) {
            throw e.syscall().startsWith(call) ? e : new SyscallException(call, e.code());
        }
    }

    /** {@code fstat(2)}: type, mode, owner and identity of an open file. */
    public static FileStatus status(Fd fd) {
        long[] stat = new long[32]; // struct stat: 144 bytes on x86_64, 128 on aarch64
        try {
            Direct.fstat(fd.value(), stat);
        } catch (LastErrorException e) {
            throw Libc.fail("fstat", e);
        }
        // x86_64: st_dev, st_ino, st_nlink (8 bytes each), then st_mode, st_uid, st_gid (4 each);
        // aarch64 (asm-generic): st_dev, st_ino (8 each), then st_mode, st_nlink, st_uid, st_gid (4 each)
        int mode = (int) (Libc.AARCH64 ? stat[2] : stat[3]);
        int uid = (int) (Libc.AARCH64 ? stat[3] : stat[3] >>> 32);
        int gid = (int) (Libc.AARCH64 ? stat[3] >>> 32 : stat[4]);
        return new FileStatus(stat[0], stat[1], mode, Integer.toUnsignedLong(uid), Integer.toUnsignedLong(gid));
    }

    /** The inode number of an open file ({@code st_ino} of {@code fstat(2)}), e.g. a namespace's NS number. */
    public static long inode(Fd fd) {
        return status(fd).inode();
    }

    /** {@code pipe2(O_CLOEXEC)}: {@code [read end, write end]}. */
    public static Fd[] pipe() {
        int[] fds = new int[2];
        try {
            Direct.pipe2(fds, Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw Libc.fail("pipe2", e);
        }
        return new Fd[] {new Fd(fds[0]), new Fd(fds[1])};
    }

    /** {@code read(2)}: the count read, 0 at end of file (on a netlink socket: one datagram). */
    public static int read(Fd fd, byte[] buffer) {
        try {
            return (int) Direct.read(fd.value(), buffer, buffer.length);
        } catch (LastErrorException e) {
            throw Libc.fail("read", e);
        }
    }

    /** {@code write(2)}: the count written. */
    public static int write(Fd fd, byte[] bytes) {
        try {
            return (int) Direct.write(fd.value(), bytes, bytes.length);
        } catch (LastErrorException e) {
            throw Libc.fail("write", e);
        }
    }

    static void close(int fd) {
        try {
            Direct.close(fd);
        } catch (LastErrorException e) {
            throw Libc.fail("close", e);
        }
    }
}
