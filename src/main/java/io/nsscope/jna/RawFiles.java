package io.nsscope.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * File reads through the C library ({@code open}, {@code read}, {@code readlink}, {@code statx}, {@code getdents64}),
 * for procfs: the JDK's file APIs report a failure as text ({@code strerror}, translated by the C locale) or as one of
 * a few exception classes, never as the errno, and procfs's errno is what tells a process that exited (ENOENT, ESRCH,
 * EINVAL...) from a file nsscope may not read (EACCES). Here each failure is a {@link SyscallException} carrying the
 * errno the call set.
 *
 * <p>Stats use {@code statx(2)} with {@code AT_STATX_DONT_SYNC}: the kernel answers from the inode it has, and never
 * asks the filesystem (a FUSE daemon or an NFS server that could make a scan wait). Buffers are per thread; every
 * method may be called from any thread. Directly mapped, as the scan calls them for every process.
 */
public final class RawFiles {

    private static final int O_RDONLY = 0;
    private static final int AT_FDCWD = -100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int AT_STATX_DONT_SYNC = 0x4000;
    private static final int STATX_TYPE = 0x1;
    private static final int STATX_MODE = 0x2;
    private static final int STATX_UID = 0x8;
    private static final int STATX_INO = 0x100;
    private static final int STATX_MASK = STATX_TYPE | STATX_MODE | STATX_UID | STATX_INO;
    private static final long SYS_GETDENTS64 = Libc.AARCH64 ? 61 : 217;
    private static final int INITIAL_BUFFER = 16 * 1024;

    /**
     * Per thread: the file being read, natively (a Java array argument is copied in and out whole by JNA), then its
     * bytes; and a link's target, short, as an array.
     */
    private static final ThreadLocal<Memory> READ_BUFFER = ThreadLocal.withInitial(() -> new Memory(INITIAL_BUFFER));

    private static final ThreadLocal<byte[]> BYTES = ThreadLocal.withInitial(() -> new byte[INITIAL_BUFFER]);
    private static final ThreadLocal<byte[]> LINK = ThreadLocal.withInitial(() -> new byte[256]);
    /** Per thread: a short record read again from its start (a {@code schedstat} line is under 64 bytes). */
    private static final ThreadLocal<byte[]> RECORD = ThreadLocal.withInitial(() -> new byte[128]);
    /** Per thread: a path, NUL-terminated, as the C library takes it. */
    private static final ThreadLocal<byte[]> PATH = ThreadLocal.withInitial(() -> new byte[256]);

    private static final ThreadLocal<byte[]> STATX = ThreadLocal.withInitial(() -> new byte[256]);
    private static final ThreadLocal<Memory> DIRENTS = ThreadLocal.withInitial(() -> new Memory(INITIAL_BUFFER));
    private static final byte[] EMPTY_PATH = {0};

    /**
     * Paths and buffers are Java byte arrays, which JNA passes without the native copy a {@code String} argument
     * costs (a scan makes some 40,000 of these calls).
     */
    private static final class Direct {
        static {
            Native.register(Libc.NAME);
        }

        static native int open(byte[] path, int flags) throws LastErrorException;

        static native long read(int fd, Pointer buf, long count) throws LastErrorException;

        static native long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;

        static native long pread(int fd, byte[] buf, long count, long offset) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native long readlink(byte[] path, byte[] buf, long size) throws LastErrorException;

        static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buf) throws LastErrorException;

        static native long syscall(long number, long fd, Pointer buf, long count) throws LastErrorException;
    }

    private RawFiles() {}

    /** The whole content of a file as UTF-8 (procfs files report size 0: read to end of file). */
    public static String read(String path) {
        int fd = open(path);
        try {
            Memory buf = READ_BUFFER.get();
            long length = 0;
            while (true) {
                if (length == buf.size()) {
                    Memory bigger = new Memory(buf.size() * 2);
                    bigger.write(0, buf.getByteArray(0, (int) length), 0, (int) length);
                    READ_BUFFER.set(bigger);
                    buf.close();
                    buf = bigger;
                }
                long n;
                try {
                    n = Direct.read(fd, buf.share(length), buf.size() - length);
                } catch (LastErrorException e) {
                    throw new SyscallException("read", e.getErrorCode());
                }
                if (n == 0) {
                    break;
                }
                length += n;
            }
            return text(buf, length);
        } finally {
            closeQuietly(fd);
        }
    }

    /**
     * Opens a file to be read again and again with {@link #readFromStart(Fd)}; the caller closes it. Failures are a
     * {@link SyscallException} with the errno of {@code open(2)}.
     */
    public static Fd openForReading(String path) {
        return new Fd(open(path));
    }

    /**
     * The content of an open file from its start, read with {@code pread(2)} at offset 0: one call, where
     * {@link #read(String)} takes four (open, read, the read that sees the end, close), and no path to look up.
     *
     * <p>Made for procfs files the kernel writes with {@code single_open(2)}'s seq_file (one record, such as
     * {@code /proc/PID/schedstat}): a read at offset 0 makes the kernel write the record again ({@code seq_read_iter}
     * starts over at position 0), and the record comes whole in the first read when the buffer can hold it, so a read
     * that returns less than the buffer has the whole file and none is made to see the end. A record that fills the
     * buffer is read on until the end.
     */
    public static String readFromStart(Fd fd) {
        // a short record straight into a small array (one call: JNA copies so small an array in and out for nothing)
        byte[] record = RECORD.get();
        long read;
        try {
            read = Direct.pread(fd.value(), record, record.length, 0);
        } catch (LastErrorException e) {
            throw new SyscallException("pread", e.getErrorCode());
        }
        if (read < record.length) {
            return new String(record, 0, (int) read, StandardCharsets.UTF_8);
        }
        Memory buf = READ_BUFFER.get();
        long length = 0;
        while (true) {
            long n;
            try {
                n = Direct.pread(fd.value(), buf.share(length), buf.size() - length, length);
            } catch (LastErrorException e) {
                throw new SyscallException("pread", e.getErrorCode());
            }
            length += n;
            if (length < buf.size()) {
                break; // the whole record (or the end of the file)
            }
            Memory bigger = new Memory(buf.size() * 2);
            bigger.write(0, buf.getByteArray(0, (int) length), 0, (int) length);
            READ_BUFFER.set(bigger);
            buf.close();
            buf = bigger;
        }
        return text(buf, length);
    }

    /** The target of a symbolic link ({@code readlink(2)}), e.g. {@code net:[4026531992]} for a namespace link. */
    public static String readLink(String path) {
        byte[] c = cPath(path);
        byte[] buf = LINK.get();
        while (true) {
            long n;
            try {
                n = Direct.readlink(c, buf, buf.length);
            } catch (LastErrorException e) {
                throw new SyscallException("readlink", e.getErrorCode());
            }
            if (n < buf.length) {
                return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
            }
            buf = new byte[buf.length * 2]; // the target may have been cut: ask again with room to spare
            LINK.set(buf);
        }
    }

    /** The first {@code length} bytes of the buffer as UTF-8. */
    private static String text(Memory buf, long length) {
        byte[] bytes = BYTES.get();
        if (bytes.length < length) {
            bytes = new byte[(int) buf.size()];
            BYTES.set(bytes);
        }
        buf.read(0, bytes, 0, (int) length);
        return new String(bytes, 0, (int) length, StandardCharsets.UTF_8);
    }

    /** {@code statx(2)} of a path, following symbolic links (a {@code /proc/PID/fd/N} link: the open file). */
    public static FileStat stat(String path) {
        return statx(AT_FDCWD, cPath(path), 0, "statx");
    }

    /** {@code statx(2)} of an open descriptor ({@code AT_EMPTY_PATH}): what the descriptor really is. */
    public static FileStat stat(Fd fd) {
        return statx(fd.value(), EMPTY_PATH, AT_EMPTY_PATH, "statx(fd)");
    }

    /**
     * The names in a directory, {@code .} and {@code ..} left out, in the order the kernel lists them
     * ({@code getdents64(2)}).
     */
    public static List<String> list(String dir) {
        int fd = open(dir);
        try {
            Memory buf = DIRENTS.get();
            List<String> names = new ArrayList<>();
            while (true) {
                long n;
                try {
                    n = Direct.syscall(SYS_GETDENTS64, fd, buf, buf.size());
                } catch (LastErrorException e) {
                    throw new SyscallException("getdents64", e.getErrorCode());
                }
                if (n == 0) {
                    return names;
                }
                // copied out at once (a JNA call per name would cost more than the listing), then:
                // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[] (NUL-terminated)
                byte[] bytes = BYTES.get();
                if (bytes.length < n) {
                    bytes = new byte[(int) buf.size()];
                    BYTES.set(bytes);
                }
                buf.read(0, bytes, 0, (int) n);
                ByteBuffer entries = ByteBuffer.wrap(bytes, 0, (int) n).order(ByteOrder.nativeOrder());
                for (int at = 0; at < n; ) {
                    int reclen = entries.getShort(at + 16) & 0xffff;
                    int end = at + 19;
                    while (end < at + reclen && bytes[end] != 0) {
                        end++;
                    }
                    int length = end - (at + 19);
                    boolean dots = (length == 1 || length == 2)
                            && bytes[at + 19] == '.'
                            && (length == 1 || bytes[at + 20] == '.');
                    if (!dots) {
                        names.add(new String(bytes, at + 19, length, StandardCharsets.UTF_8));
                    }
                    at += reclen;
                }
            }
        } finally {
            closeQuietly(fd);
        }
    }

    private static FileStat statx(int dirfd, byte[] path, int flags, String call) {
        byte[] buf = STATX.get();
        try {
            Direct.statx(dirfd, path, flags | AT_STATX_DONT_SYNC, STATX_MASK, buf);
        } catch (LastErrorException e) {
            throw new SyscallException(call, e.getErrorCode());
        }
        // struct statx: stx_uid at 20, stx_mode (u16) at 28, stx_ino at 32, stx_dev_major/minor at 136/140
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
        long device = ((long) b.getInt(136) << 32) | (b.getInt(140) & 0xffffffffL);
        return new FileStat(device, b.getLong(32), b.getShort(28) & 0xffff, b.getInt(20));
    }

    private static int open(String path) {
        try {
            return Direct.open(cPath(path), O_RDONLY | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new SyscallException("open", e.getErrorCode());
        }
    }

    /** The path NUL-terminated, in this thread's buffer (valid until the thread's next call). */
    private static byte[] cPath(String path) {
        int n = path.length();
        byte[] c = PATH.get();
        if (c.length < n * 3 + 1) {
            c = new byte[n * 3 + 1];
            PATH.set(c);
        }
        for (int i = 0; i < n; i++) {
            char ch = path.charAt(i);
            if (ch >= 0x80) {
                byte[] utf8 = path.getBytes(StandardCharsets.UTF_8); // not ASCII: encoded whole
                return Arrays.copyOf(utf8, utf8.length + 1);
            }
            c[i] = (byte) ch;
        }
        c[n] = 0;
        return c;
    }

    private static void closeQuietly(int fd) {
        try {
            Direct.close(fd);
        } catch (LastErrorException e) {
            // A read-only descriptor: nothing was left unwritten, and the descriptor is released whatever close says.
        }
    }
}
