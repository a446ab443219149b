package io.nsscope.procfs;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A procfs tree rooted at an injected path ({@code /proc} on a host, {@code /host/proc} in a DaemonSet, a
 * fixture directory in tests). It resolves paths and slurps files; the parsing is done by the records
 * ({@link ProcStat}, {@link ProcStatus}, {@link Cmdline}, {@link NamespaceLinks}).
 *
 * <p>Error policy, shared by every read: a process can exit between any two reads, so "no such file" or
 * {@code ESRCH} ("No such process") for a file of a process whose directory is gone becomes
 * {@link ProcessVanishedException}; {@link AccessDeniedException} (not root, {@code hidepid}, a process we may
 * not ptrace) is left to the caller, who keeps what it could read; anything else is a real fault and
 * propagates.
 *
 * <p>Not final so that tests can stand in for the kernel where a fixture tree cannot (a permission denied to root).
 */
public class ProcFs {

    private static final int INITIAL_BUFFER = 4096;
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[INITIAL_BUFFER]);

    private final Path root;

    public ProcFs(Path root) {
        this.root = Objects.requireNonNull(root, "root");
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
     * {@code lsns} list them; threads live under {@code <pid>/task}), in ascending order.
     */
    public int[] pids() throws IOException {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                int pid = parsePid(entry.getFileName().toString());
                if (pid > 0) {
                    pids.add(pid);
                }
            }
        }
        int[] result = pids.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(result);
        return result;
    }

    /** The whole text of {@code <root>/<pid>/<file>}, read once (procfs files report size 0: read to EOF). */
    public String read(int pid, String file) throws IOException {
        Path path = pidDir(pid).resolve(file);
        try (FileInputStream in = new FileInputStream(path.toFile())) {
            byte[] buf = BUFFER.get();
            int length = 0;
            while (true) {
                if (length == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                    BUFFER.set(buf);
                }
                int n = in.read(buf, length, buf.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
            return new String(buf, 0, length, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw classify(pid, asNioException(e, path));
        }
    }

    /**
     * The numeric entries of {@code <root>/<pid>/<dir>}, ascending: the thread IDs of {@code task}, the descriptors
     * of {@code fd}. A directory that is absent while the process lives (a fixture without it) is empty.
     */
    public int[] list(int pid, String dir) throws IOException {
        Path path = pidDir(pid).resolve(dir);
        // File.list: names only, no Path per entry (a scan lists the fd/ of every process)
        String[] names = path.toFile().list();
        if (names == null) {
            names = listWithErrors(pid, path); // File.list says nothing of why: ask again the way that names it
        }
        int[] ids = new int[names.length];
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

    private String[] listWithErrors(int pid, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(e -> names.add(e.getFileName().toString()));
        } catch (NoSuchFileException e) {
            if (!exists(pid)) {
                throw new ProcessVanishedException(pid, e);
            }
            // a directory this process does not have (a fixture without fd/): nothing in it
        } catch (IOException e) {
            throw classify(pid, e);
        }
        return names.toArray(String[]::new);
    }

    /** The target of the symbolic link {@code <root>/<pid>/<link>}, e.g. {@code net:[4026531992]}. */
    public String readLink(int pid, String link) throws IOException {
        try {
            return Files.readSymbolicLink(pidDir(pid).resolve(link)).toString();
        } catch (IOException e) {
            throw classify(pid, e);
        }
    }

    /**
     * The owner of {@code <root>/<pid>}: the process's effective UID as the kernel publishes it (root for a
     * non-dumpable process). This is what {@code lsns} shows as UID.
     */
    public int ownerUid(int pid) throws IOException {
        try {
            return (Integer) Files.getAttribute(pidDir(pid), "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw classify(pid, e);
        }
    }

    /** Whether the process's directory still exists: a failed read of a live process is not a vanished one. */
    public boolean exists(int pid) {
        return Files.isDirectory(pidDir(pid), LinkOption.NOFOLLOW_LINKS);
    }

    private IOException classify(int pid, IOException e) {
        boolean gone = e instanceof NoSuchFileException || isEsrch(e);
        if (gone && !exists(pid)) {
            throw new ProcessVanishedException(pid, e);
        }
        if (isEsrch(e)) {
            // The directory is still there but the task is exiting (a zombie in the making): as good as gone.
            throw new ProcessVanishedException(pid, e);
        }
        return e;
    }

    private static boolean isEsrch(IOException e) {
        // The JDK has no exception class for ESRCH; its text is the C library's strerror(ESRCH).
        String message = e.getMessage();
        return message != null && message.contains("No such process");
    }

    /** {@link FileInputStream} reports ENOENT and EACCES as plain {@code FileNotFoundException}s: name them. */
    private static IOException asNioException(IOException e, Path path) {
        String message = e.getMessage();
        if (e instanceof java.io.FileNotFoundException && message != null) {
            if (message.contains("Permission denied")) {
                return new AccessDeniedException(path.toString());
            }
            if (message.contains("No such file or directory")) {
                return new NoSuchFileException(path.toString());
            }
        }
        return e;
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
