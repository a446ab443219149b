package io.nsscope.procfs;

import io.nsscope.jna.Errno;
import io.nsscope.jna.FileStat;
import io.nsscope.jna.RawFiles;
import io.nsscope.jna.SyscallException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A procfs tree rooted at an injected path ({@code /proc} on a host, {@code /host/proc} in a DaemonSet, a
 * fixture directory in tests). It resolves paths and reads files through the C library ({@link RawFiles}), so that
 * every failure carries the errno of the call that failed; the parsing is done by the records ({@link ProcStat},
 * {@link ProcStatus}, {@link Cmdline}, {@link NamespaceLinks}).
 *
 * <p>Error policy, shared by every read of a process's file. A process can exit between any two reads, and the
 * kernel then answers with whatever errno the file's code picks: ENOENT, ESRCH, EINVAL ({@code mountinfo} of a
 * process whose namespaces are already released), EACCES (a zombie)... So after a failure the process itself is
 * checked: if its directory is gone, or it is exiting or a zombie, the failure becomes
 * {@link ProcessVanishedException}. Otherwise ENOENT is {@link NoSuchFileException} (a file this process does not
 * have: an older kernel, a zombie's released namespaces), EACCES and EPERM are {@link AccessDeniedException} (not
 * root, {@code hidepid}, a process we may not ptrace), left to the caller who keeps what it could read, and any other
 * errno is a {@link ProcfsReadException}.
 *
 * <p>Not final so that tests can stand in for the kernel where a fixture tree cannot (a permission denied to root).
 */
public class ProcFs {

    /** {@code PF_EXITING} of {@code include/linux/sched.h}: set in field 9 of {@code stat} once a task starts exiting. */
    private static final long PF_EXITING = 0x00000004L;

    private final Path root;
    private final String rootText;

    public ProcFs(Path root) {
        this.root = Objects.requireNonNull(root, "root");
        String text = root.toString();
        this.rootText = text.endsWith("/") ? text : text + "/";
    }

    /** The root of this procfs tree. */
    public Path root() {
        return root;
    }

    /** The directory of a process, {@code <root>/<pid>}. */
    public Path pidDir(int pid) {
        return root.resolve(Integer.toString(pid));
    }

    /**
     * The PIDs of the processes (thread-group leaders: the numeric entries of the root, as {@code ps} and
     * {@code lsns} list them; threads live under {@code <pid>/task}), in ascending order. A failure here is a fault
     * of the procfs as a whole.
     */
    public int[] pids() throws IOException {
        List<String> names;
        try {
            names = RawFiles.list(root.toString());
        } catch (SyscallException e) {
            throw asIOException(root.toString(), e);
        }
        int[] pids = numeric(names);
        return pids.length > 0 && pids[0] == 0 ? Arrays.copyOfRange(pids, 1, pids.length) : pids;
    }

    /** The whole text of {@code <root>/<pid>/<file>}, read once (procfs files report size 0: read to EOF). */
    public String read(int pid, String file) throws IOException {
        String path = path(pid, file);
        try {
            return RawFiles.read(path);
        } catch (SyscallException e) {
            throw failure(pid, path, e);
        }
    }

    /**
     * The numeric entries of {@code <root>/<pid>/<dir>}, ascending: the thread IDs of {@code task}, the descriptors
     * of {@code fd}. A directory that is absent while the process lives (a fixture without it) is empty.
     */
    public int[] list(int pid, String dir) throws IOException {
        String path = path(pid, dir);
        try {
            return numeric(RawFiles.list(path));
        } catch (SyscallException e) {
            IOException failure = failure(pid, path, e);
            if (failure instanceof NoSuchFileException) {
                return new int[0];
            }
            throw failure;
        }
    }

    /** The target of the symbolic link {@code <root>/<pid>/<link>}, e.g. {@code net:[4026531992]}. */
    public String readLink(int pid, String link) throws IOException {
        String path = path(pid, link);
        try {
            return RawFiles.readLink(path);
        } catch (SyscallException e) {
            throw failure(pid, path, e);
        }
    }

    /**
     * {@code statx(2)} of {@code <root>/<pid>/<file>}, following a link: for {@code fd/N}, the open file itself (its
     * device says whether it is a namespace file, its type whether it is a socket).
     */
    public FileStat stat(int pid, String file) throws IOException {
        String path = path(pid, file);
        try {
            return RawFiles.stat(path);
        } catch (SyscallException e) {
            throw failure(pid, path, e);
        }
    }

    /**
     * The device of the nsfs filesystem every namespace file is on (as {@code lsns} compares it, from
     * {@code /proc/self/ns/user}): {@code <root>/self/ns/user}, else the first of {@code pids} whose {@code ns/user}
     * can be stat'ed; -1 if none can.
     */
    public long nsfsDevice(int[] pids) {
        try {
            return RawFiles.stat(rootText + "self/ns/user").device();
        } catch (SyscallException e) {
            // nsscope's own process is not in this procfs (another PID namespace's): ask a process that is
        }
        for (int i = 0; i < Math.min(pids.length, 16); i++) {
            try {
                return stat(pids[i], "ns/user").device();
            } catch (IOException | RuntimeException e) {
                // gone, or hidden from us: the next
            }
        }
        return -1;
    }

    /**
     * The owner of {@code <root>/<pid>}: the process's effective UID as the kernel publishes it (root for a
     * non-dumpable process). This is what {@code lsns} shows as UID.
     */
    public int ownerUid(int pid) throws IOException {
        String path = path(pid, "");
        try {
            return RawFiles.stat(path).uid();
        } catch (SyscallException e) {
            throw failure(pid, path, e);
        }
    }

    /** Whether the process's directory still exists: a failed read of a live process is not a vanished one. */
    public boolean exists(int pid) {
        try {
            return RawFiles.stat(path(pid, "")).isDirectory();
        } catch (SyscallException e) {
            return e.errno() != Errno.ENOENT && e.errno() != Errno.ESRCH;
        }
    }

    /**
     * Whether the process is on its way out: a zombie ({@code Z}), dead ({@code X}), or flagged {@code PF_EXITING}
     * in its {@code stat}; also true when its {@code stat} is gone (ENOENT, ESRCH) or no longer a stat line.
     */
    boolean exiting(int pid) {
        try {
            ProcStat stat = ProcStat.parse(RawFiles.read(path(pid, "stat")));
            return stat.state() == 'Z' || stat.state() == 'X' || (stat.flags() & PF_EXITING) != 0;
        } catch (SyscallException e) {
            return e.errno() == Errno.ENOENT || e.errno() == Errno.ESRCH;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private String path(int pid, String file) {
        return rootText + pid + (file.isEmpty() ? "" : "/" + file);
    }

    /**
     * What a failed call on a process's file means (see the class comment): thrown as
     * {@link ProcessVanishedException} when the process went, returned otherwise.
     */
    private IOException failure(int pid, String path, SyscallException e) {
        Errno errno = e.errno();
        if (errno == Errno.ESRCH || !exists(pid)) {
            throw new ProcessVanishedException(pid, asIOException(path, e));
        }
        if (errno != Errno.ENOENT && exiting(pid)) {
            // a zombie or an exiting process: EINVAL, EACCES... from files it no longer has
            throw new ProcessVanishedException(pid, asIOException(path, e));
        }
        return asIOException(path, e);
    }

    private static IOException asIOException(String path, SyscallException e) {
        return switch (e.errno()) {
            case ENOENT -> new NoSuchFileException(path);
            case EACCES, EPERM -> new AccessDeniedException(path, null, e.syscall() + ": " + e.errno());
            default -> new ProcfsReadException(path, e.syscall(), e.errno(), e.code());
        };
    }

    private static int[] numeric(List<String> names) {
        int[] ids = new int[names.size()];
        int n = 0;
        for (String name : names) {
            int id = parsePid(name);
            if (id >= 0) {
                ids[n++] = id;
            }
        }
        int[] result = Arrays.copyOf(ids, n);
        Arrays.sort(result);
        return result;
    }

    static int parsePid(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }
}
