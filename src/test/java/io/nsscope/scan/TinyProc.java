package io.nsscope.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A small procfs tree written by a test, for the incremental scan: processes with the files a scan reads (stat,
 * cmdline, status, cgroup, ns/, fd/, task/) and the scheduler counters ({@code schedstat}) that tell a scan whether a
 * process ran. Read through {@link io.nsscope.testing.FixtureProcFs}, which stats {@code type:[inode]} links as
 * namespace files. Each change a test makes is one a process (or the kernel) makes on a live host; {@link #ran}
 * plays the scheduler's part.
 */
final class TinyProc {

    /** The host's namespaces: every process starts in them. */
    static final Map<String, Long> HOST = Map.of(
            "cgroup",
            4026531835L,
            "ipc",
            4026531839L,
            "mnt",
            4026531840L,
            "net",
            4026531992L,
            "pid",
            4026531836L,
            "pid_for_children",
            4026531836L,
            "time",
            4026531834L,
            "time_for_children",
            4026531834L,
            "user",
            4026531837L,
            "uts",
            4026531838L);

    private final Path root;

    TinyProc(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Starts a process in the host's namespaces, one thread, having run once. */
    TinyProc process(int pid, int ppid, String comm, String cmdline, long startTime) {
        write(pid + "/cmdline", cmdline.replace(' ', '\0') + "\0");
        write(pid + "/status", "Name:\t" + comm + "\nNSpid:\t" + pid + "\n");
        write(pid + "/cgroup", "0::/\n");
        write(pid + "/comm", comm + "\n");
        stat(pid, ppid, comm, 1, startTime);
        links(pid + "/ns", HOST);
        mkdirs(pid + "/fd");
        mkdirs(pid + "/task/" + pid);
        write(pid + "/schedstat", "1000 10 1\n");
        write(pid + "/task/" + pid + "/schedstat", "1000 10 1\n");
        return this;
    }

    /** Writes {@code stat}: its parent, name, thread count and start time. */
    TinyProc stat(int pid, int ppid, String comm, int threads, long startTime) {
        write(
                pid + "/stat",
                pid + " (" + comm + ") S " + ppid + " " + pid + " " + pid
                        + " 0 -1 4194560 0 0 0 0 0 0 0 0 0 0 " + threads + " 0 " + startTime
                        + " 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
        return this;
    }

    /** Points one of the process's {@code ns/} links elsewhere (what setns or unshare does). */
    TinyProc namespace(int pid, String link, long inode) {
        link(pid + "/ns/" + link, type(link) + ":[" + inode + "]");
        return this;
    }

    /** Starts a thread {@code tid} of the process, in its process's namespaces but {@code differing}. */
    TinyProc thread(int pid, int tid, String comm, Map<String, Long> differing) {
        Map<String, Long> links = new TreeMap<>(HOST);
        links.putAll(differing);
        links(pid + "/task/" + tid + "/ns", links);
        write(pid + "/task/" + tid + "/comm", comm + "\n");
        write(pid + "/task/" + tid + "/schedstat", "500 5 1\n");
        return this;
    }

    /** Opens descriptor {@code fd} on {@code target} ({@code net:[4026532900]}, {@code socket:[1]}, a path). */
    TinyProc fd(int pid, int fd, String target) {
        link(pid + "/fd/" + fd, target);
        return this;
    }

    TinyProc closeFd(int pid, int fd) {
        delete(root.resolve(pid + "/fd/" + fd));
        return this;
    }

    TinyProc cmdline(int pid, String cmdline) {
        write(pid + "/cmdline", cmdline.replace(' ', '\0') + "\0");
        return this;
    }

    /** The scheduler ran the task ({@code tid} = {@code pid} for the first thread): its counters grow. */
    TinyProc ran(int pid, int tid) {
        String file = tid == pid ? pid + "/schedstat" : pid + "/task/" + tid + "/schedstat";
        String[] counters = read(file).strip().split(" ");
        String next = (Long.parseLong(counters[0]) + 777) + " " + counters[1] + " " + (Long.parseLong(counters[2]) + 1)
                + "\n";
        write(file, next);
        if (tid == pid) {
            write(pid + "/task/" + pid + "/schedstat", next);
        }
        return this;
    }

    /** The process exited and was reaped: its directory is gone. */
    TinyProc exit(int pid) {
        delete(root.resolve(String.valueOf(pid)));
        return this;
    }

    private static String type(String link) {
        return link.endsWith("_for_children") ? link.substring(0, link.indexOf('_')) : link;
    }

    private void links(String dir, Map<String, Long> links) {
        mkdirs(dir);
        links.forEach((link, inode) -> link(dir + "/" + link, type(link) + ":[" + inode + "]"));
    }

    private void link(String path, String target) {
        try {
            Path p = root.resolve(path);
            Files.createDirectories(p.getParent());
            Files.deleteIfExists(p);
            Files.createSymbolicLink(p, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void mkdirs(String dir) {
        try {
            Files.createDirectories(root.resolve(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String read(String path) {
        try {
            return Files.readString(root.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String path, String text) {
        try {
            Path p = root.resolve(path);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
