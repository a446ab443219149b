package io.nsscope.sandbox;

import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Errno;
import io.nsscope.jna.Fd;
import io.nsscope.jna.FileStatus;
import io.nsscope.jna.SyscallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A sandbox's program, opened once when its request is validated ({@code O_PATH}) and checked on that descriptor;
 * the launch execs the same descriptor ({@code execveat(2)} with {@code AT_EMPTY_PATH}), so what runs is the file
 * that was checked, whatever happens to the path in between. Checked: a regular file, an ELF binary (a {@code #!}
 * script cannot be exec'd from a close-on-exec descriptor: its interpreter would find the descriptor closed), owned
 * by root and writable by nobody else, in directories only root can write to, and executable by others (the
 * sandbox's pool UID is neither its owner nor, having no supplementary groups, in its group).
 */
final class Executable implements AutoCloseable {

    private static final int S_IXOTH = 01;
    private static final int S_IWGRP_IWOTH = 022;
    private static final int S_ISVTX = 01000;
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;
    private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};

    private final String path;
    private final Fd fd;

    private Executable(String path, Fd fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens and checks {@code path}; a fault is the request's, at {@code command[0]}. */
    static Executable open(String path) {
        Fd fd;
        try {
            fd = Descriptors.openPath(Path.of(path));
        } catch (SyscallException e) {
            if (e.errno() == Errno.EMFILE || e.errno() == Errno.ENFILE || e.errno() == Errno.ENOMEM) {
                throw Errors.of(e); // nsscope's trouble, not the request's
            }
            throw fault("'" + path + "' cannot be opened: " + e.errno() + ".");
        }
        try {
            check(path, fd);
            return new Executable(path, fd);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    private static void check(String path, Fd fd) {
        FileStatus status = Descriptors.status(fd);
        require(status.isRegularFile(), "'" + path + "' is not a regular file.");
        require(
                status.uid() == 0 && (status.permissions() & S_IWGRP_IWOTH) == 0,
                "'" + path + "' must belong to root and be writable by nobody else.");
        require(
                (status.permissions() & S_IXOTH) != 0,
                "'" + path + "' is not executable by others (the sandbox's UID).");
        // both ways to the file: the path as asked (a symbolic link on it must be root's; the directory holding it is
        // checked as the next one up) and the path the descriptor names
        for (Path dir = Path.of(path).getParent(); dir != null; dir = dir.getParent()) {
            require(safeDirectory(dir), "'" + path + "' lies in " + dir + ", which someone besides root can change.");
        }
        Path real = realPath(fd);
        for (Path dir = real.getParent(); dir != null; dir = dir.getParent()) {
            require(safeDirectory(dir), "'" + path + "' lies in " + dir + ", which someone besides root can change.");
        }
        require(
                isElf(fd),
                "'" + path + "' is not an ELF executable; to run a script, name its interpreter as"
                        + " command[0] and the script as an argument.");
    }

    /** The path the descriptor names now ({@code /proc/self/fd/N}), symbolic links resolved. */
    private static Path realPath(Fd fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.value()));
        } catch (IOException e) {
            throw fault("The executable's real path cannot be read.");
        }
    }

    /**
     * Root's and not writable by group or others, unless sticky (like /tmp: nobody can replace root's file). A
     * symbolic link (such as {@code /bin} on a merged-/usr system) must be root's; its mode bits mean nothing.
     */
    private static boolean safeDirectory(Path dir) {
        try {
            Map<String, Object> a = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            if ((mode & S_IFMT) == S_IFLNK) {
                return (Integer) a.get("uid") == 0;
            }
            boolean writable = (mode & S_IWGRP_IWOTH) != 0;
            boolean sticky = (mode & S_ISVTX) != 0;
            return (Integer) a.get("uid") == 0 && (!writable || sticky);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The first four bytes, read through a second descriptor on the same inode (an O_PATH one cannot read). */
    private static boolean isElf(Fd fd) {
        try (Fd readable = Descriptors.open(Path.of("/proc/self/fd/" + fd.value()))) {
            byte[] head = new byte[4];
            return Descriptors.read(readable, head) == 4 && Arrays.equals(head, ELF);
        } catch (SyscallException e) {
            return false;
        }
    }

    /** The path as the request gave it. */
    String path() {
        return path;
    }

    /** The descriptor the launch execs. */
    Fd fd() {
        return fd;
    }

    @Override
    public void close() {
        fd.close();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw fault(message);
        }
    }

    private static SandboxRequestException fault(String message) {
        return new SandboxRequestException("command[0]", message);
    }
}
