package io.nsscope.testing;

import io.nsscope.jna.FileStat;
import io.nsscope.procfs.ProcFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A {@link ProcFs} over a copy of the fixture tree that also plays what a file tree cannot hold:
 * <ul>
 * <li>a link in the tree whose target is {@code type:[inode]} or {@code socket:[inode]} (fixture links dangle) is
 * stat'ed as the kernel stats the open file behind {@code /proc/PID/fd/N}: a namespace file on the fixture's nsfs
 * device ({@link #NSFS_DEVICE}), or a socket, with that inode;</li>
 * <li>a file listed in {@code <pid>/DENIED} ({@code cmdline}, {@code ns/*}) fails with {@link AccessDeniedException},
 * as the kernel answers a reader that may not inspect the process (mode bits do not stop root);</li>
 * <li>every process belongs to root ({@link #ownerUid}), whoever checked the tree out;</li>
 * <li>a PID passed to {@link #vanishOnNamespaceRead} has its directory deleted when its first ns link is read,
 * so the real error path runs: the process exits after its stat was read.</li>
 * </ul>
 */
public class FixtureProcFs extends ProcFs {

    /** The device the fixture's namespace files are on. */
    public static final long NSFS_DEVICE = 4;

    private static final long SOCKFS_DEVICE = 8;
    private static final long ANON_DEVICE = 15;
    private static final int S_IFREG = 0100000;
    private static final int S_IFSOCK = 0140000;

    private final Set<Integer> vanishing = ConcurrentHashMap.newKeySet();

    public FixtureProcFs(Path root) {
        super(root);
    }

    public FixtureProcFs vanishOnNamespaceRead(int pid) {
        vanishing.add(pid);
        return this;
    }

    @Override
    public String read(int pid, String file) throws IOException {
        deny(pid, file);
        return super.read(pid, file);
    }

    @Override
    public String readLink(int pid, String link) throws IOException {
        if (link.startsWith("ns/") && vanishing.remove(pid)) {
            delete(pidDir(pid));
        }
        deny(pid, link);
        return super.readLink(pid, link);
    }

    @Override
    public FileStat stat(int pid, String file) throws IOException {
        deny(pid, file);
        Path path = pidDir(pid).resolve(file);
        if (Files.isSymbolicLink(path)) {
            String target = Files.readSymbolicLink(path).toString();
            int bracket = target.indexOf(":[");
            if (bracket > 0 && target.endsWith("]") && !target.startsWith("/")) {
                String number = target.substring(bracket + 2, target.length() - 1);
                if (!number.matches("[0-9]+")) {
                    return new FileStat(ANON_DEVICE, 1, S_IFREG | 0600, 0); // anon_inode:[eventfd] and its kin
                }
                long inode = Long.parseLong(number);
                return target.startsWith("socket:")
                        ? new FileStat(SOCKFS_DEVICE, inode, S_IFSOCK | 0777, 0)
                        : new FileStat(NSFS_DEVICE, inode, S_IFREG | 0444, 0);
            }
        }
        return super.stat(pid, file);
    }

    /**
     * The fixture's processes belong to root, as the kernel makes {@code /proc/PID} of a root process, whoever
     * checked the tree out (a contributor's checkout is theirs); a process may name another owner in a file
     * {@code <pid>/OWNER}. A process gone is gone, as from the real tree.
     */
    @Override
    public int ownerUid(int pid) throws IOException {
        if (!exists(pid)) {
            return super.ownerUid(pid);
        }
        Path owner = pidDir(pid).resolve("OWNER");
        return Files.exists(owner) ? Integer.parseInt(Files.readString(owner).trim()) : 0;
    }

    @Override
    public long nsfsDevice(int[] pids) {
        return NSFS_DEVICE;
    }

    private void deny(int pid, String file) throws AccessDeniedException {
        Path denied = pidDir(pid).resolve("DENIED");
        if (!Files.exists(denied)) {
            return;
        }
        try {
            List<String> patterns = Files.readAllLines(denied);
            for (String pattern : patterns) {
                boolean match = pattern.endsWith("/*")
                        ? file.startsWith(pattern.substring(0, pattern.length() - 1))
                        : file.equals(pattern);
                if (match) {
                    throw new AccessDeniedException(pidDir(pid).resolve(file).toString());
                }
            }
        } catch (AccessDeniedException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
