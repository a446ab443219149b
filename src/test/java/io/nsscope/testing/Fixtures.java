package io.nsscope.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The checked-in fake procfs, one directory per {@link Scenario} under {@code src/test/fixtures/scenarios} (what
 * each PID stands for: {@code README.md} there), and the password file. A test copies the scenarios it checks into
 * a directory of its own, so it may change them; the host's processes are always there.
 */
public final class Fixtures {

    public static final Path SCENARIOS = Path.of("src/test/fixtures/scenarios");
    public static final Path PASSWD = Path.of("src/test/fixtures/etc/passwd");

    /** One scenario of the fake procfs: a few processes, and what it adds to processes of the host. */
    public enum Scenario {
        /** PID 1 (systemd, with its mount table), kthreadd and a kworker, two shells: the initial namespaces. */
        HOST("host"),
        /** An LXC runtime and a pod's init with two children in namespaces of their own (all but user and time). */
        CONTAINERS("containers"),
        /** Two shells in a user namespace of their own, the first with its uid_map, gid_map and setgroups. */
        USER_NAMESPACES("user-namespaces"),
        /**
         * Namespaces without a process in them: one bind-mounted ({@code /run/netns/blue} in PID 1's mount table),
         * one held by an open descriptor, one by a thread that unshared alone (process 4242, thread 4250).
         */
        HOLDERS("holders"),
        /** A process that vanishes while it is read, one whose files are denied, a zombie. */
        RACES("races"),
        /** A process that unshared its children's PID namespace, and has no child yet. */
        PID_FOR_CHILDREN("pid-for-children");

        private final String directory;

        Scenario(String directory) {
            this.directory = directory;
        }

        /** The scenario's own files. */
        public Path dir() {
            return SCENARIOS.resolve(directory);
        }

        /** The PIDs of the processes the scenario adds, ascending. */
        public List<Integer> pids() {
            try (Stream<Path> entries = Files.list(dir())) {
                return entries.map(p -> p.getFileName().toString())
                        .filter(n -> n.matches("[0-9]+"))
                        .map(Integer::valueOf)
                        .filter(pid -> this == HOST || !HOST.hasOwn(pid))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private boolean hasOwn(int pid) {
            return Files.isDirectory(dir().resolve(Integer.toString(pid)));
        }
    }

    private Fixtures() {}

    /** Every scenario at once, as one host ({@link #copy}). */
    public static Path copyProc(Path target) {
        return copy(target, Scenario.values());
    }

    /**
     * Copies the host and these scenarios into {@code target}, keeping the ns/ symbolic links as links. A file of a
     * scenario replaces the host's (PID 1's mount table with the bind mount, for {@link Scenario#HOLDERS}).
     */
    public static Path copy(Path target, Scenario... scenarios) {
        List<Scenario> all = new ArrayList<>(List.of(Scenario.HOST));
        for (Scenario s : scenarios) {
            if (!all.contains(s)) {
                all.add(s);
            }
        }
        all.forEach(s -> copyTree(s.dir(), target));
        return target;
    }

    /** The PIDs a copy of these scenarios holds (the host's included), ascending. */
    public static List<Integer> pids(Scenario... scenarios) {
        List<Integer> pids = new ArrayList<>(Scenario.HOST.pids());
        for (Scenario s : scenarios) {
            if (s != Scenario.HOST) {
                pids.addAll(s.pids());
            }
        }
        return pids.stream().sorted().toList();
    }

    private static void copyTree(Path from, Path target) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(target.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(
                            file,
                            target.resolve(from.relativize(file).toString()),
                            LinkOption.NOFOLLOW_LINKS,
                            StandardCopyOption.COPY_ATTRIBUTES,
                            StandardCopyOption.REPLACE_EXISTING);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the tests run as root (who can make namespaces, and whom file modes do not stop). */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
