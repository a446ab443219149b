package io.nsscope.testing;

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
 * A {@link ProcFs} over a copy of the fixture tree that also plays the two races a file tree cannot hold:
 * <ul>
 * <li>a file listed in {@code <pid>/DENIED} ({@code cmdline}, {@code ns/*}) fails with {@link AccessDeniedException},
 * as the kernel answers a reader that may not inspect the process (mode bits do not stop root);</li>
 * <li>a PID passed to {@link #vanishOnNamespaceRead} has its directory deleted when its first ns link is read,
 * so the real error path runs: the process exits after its stat was read.</li>
 * </ul>
 */
public class FixtureProcFs extends ProcFs {

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

    private void deny(int pid, String file) throws AccessDeniedException {
        Path denied = pidDir(pid).resolve("DENIED");
        if (!Files.exists(denied)) {
            return;
        }
        try {
            List<String> patterns = Files.readAllLines(denied);
            for (String pattern : patterns) {
                boolean match = pattern.endsWith("/*") ? file.startsWith(pattern.substring(0, pattern.length() - 1))
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
