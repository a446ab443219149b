package io.nsscope.live;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The live kernel as the reference tools see it, for the {@code *LiveIT} classes: who we are, which tools there are,
 * running a tool to completion, and reading {@code /proc} independently of nsscope's own readers (so that a bug
 * in them cannot hide in both sides of a comparison).
 */
final class LiveHost {

    /** The ten links of /proc/PID/ns, in the kernel's (alphabetical) order. */
    static final List<String> LINKS = List.of(
            "cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children", "user", "uts");

    /** The eight namespace types (the membership links), alphabetical. */
    static final List<String> TYPES = List.of("cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts");

    private static final Path PROC = Path.of("/proc");

    private LiveHost() {}

    /** Whether this JVM's effective UID is 0 (the second field of {@code Uid:} in /proc/self/status). */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(PROC.resolve("self/status"))) {
                if (line.startsWith("Uid:")) {
                    return "0".equals(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** The executable of a tool on the PATH (or in the sbin directories, where ip lives), if installed. */
    static Optional<Path> tool(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Whether the kernel has this kind of namespace (its link exists in /proc/self/ns). */
    static boolean kernelHas(String type) {
        return Files.exists(PROC.resolve("self/ns/" + type), LinkOption.NOFOLLOW_LINKS);
    }

    /** What a finished command did. */
    record Result(List<String> command, long pid, int exit, String out, String err) {

        Result requireSuccess() {
            if (exit != 0) {
                throw new AssertionError("command failed with exit status " + exit + ": " + String.join(" ", command)
                        + "\nstderr: " + err + "\nstdout: " + abbreviate(out));
            }
            return this;
        }
    }

    /**
     * Runs a command to completion (stdin from /dev/null, stdout and stderr to temporary files so that no pipe can
     * fill up), killing it if it takes longer than {@code timeout}.
     */
    static Result run(Duration timeout, String... command) {
        Path outFile = null;
        Path errFile = null;
        try {
            outFile = Files.createTempFile("nsscope-it-stdout", ".txt");
            errFile = Files.createTempFile("nsscope-it-stderr", ".txt");
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(outFile.toFile())
                    .redirectError(errFile.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("command timed out after " + timeout + ": " + String.join(" ", command));
            }
            return new Result(
                    List.of(command),
                    process.pid(),
                    process.exitValue(),
                    Files.readString(outFile, StandardCharsets.UTF_8),
                    Files.readString(errFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(outFile);
            deleteQuietly(errFile);
        }
    }

    static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover temporary file is harmless.
            }
        }
    }

    /**
     * One process as read from /proc by the test itself.
     *
     * @param pid       the PID
     * @param startTime field 22 of stat: with the PID, it identifies the process across two reads
     * @param state     field 3 of stat
     * @param ppid      field 4 of stat
     * @param pgrp      field 5 of stat
     * @param comm      field 2 of stat
     * @param cmdline   the raw bytes of cmdline, as a string (NULs kept)
     * @param uid       the owner of /proc/PID, or null if it could not be read
     * @param links     the inode of each readable link of /proc/PID/ns, by link name
     */
    record Proc(
            int pid,
            long startTime,
            char state,
            int ppid,
            int pgrp,
            String comm,
            String cmdline,
            Integer uid,
            Map<String, Long> links) {

        /** The COMMAND lsns shows: the cmdline with NULs as spaces and the trailing NUL dropped, else comm. */
        String lsnsCommand() {
            if (cmdline == null || cmdline.isEmpty()) {
                return comm;
            }
            return cmdline.substring(0, cmdline.length() - 1).replace('\0', ' ');
        }

        /** The arguments (cmdline split at NULs). */
        List<String> argv() {
            if (cmdline == null || cmdline.isEmpty()) {
                return List.of();
            }
            return List.of(cmdline.substring(0, cmdline.length() - (cmdline.endsWith("\0") ? 1 : 0))
                    .split("\0", -1));
        }

        /** The same process (same PID and start time) as another read. */
        boolean sameProcessAs(Proc other) {
            return other != null && other.pid == pid && other.startTime == startTime;
        }
    }

    /** Reads one process, or empty if it does not exist (or exits while being read). */
    static Optional<Proc> read(int pid) {
        Path dir = PROC.resolve(Integer.toString(pid));
        String stat;
        try {
            stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return Optional.empty();
        }
        String comm = stat.substring(open + 1, close);
        String[] rest = stat.substring(close + 2).trim().split(" ");
        char state = rest[0].charAt(0);
        int ppid = Integer.parseInt(rest[1]);
        int pgrp = Integer.parseInt(rest[2]);
        long startTime = Long.parseLong(rest[19]);
        String cmdline = null;
        try {
            cmdline = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Denied or gone: left null.
        }
        Integer uid = null;
        try {
            uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // Gone.
        }
        Map<String, Long> links = new LinkedHashMap<>();
        for (String link : LINKS) {
            try {
                links.put(
                        link,
                        inodeOf(Files.readSymbolicLink(dir.resolve("ns/" + link))
                                .toString()));
            } catch (IOException e) {
                // Unreadable (PID 1 here, a zombie, a process that exited): left out.
            }
        }
        return Optional.of(
                new Proc(pid, startTime, state, ppid, pgrp, comm, cmdline, uid, Collections.unmodifiableMap(links)));
    }

    /** Every process of the host that could be read, by PID. */
    static Map<Integer, Proc> readAll() {
        Map<Integer, Proc> all = new TreeMap<>();
        for (int pid : pids()) {
            read(pid).ifPresent(p -> all.put(pid, p));
        }
        return all;
    }

    /**
     * The processes present in both reads (same PID and start time) with the same parent, owner, name and command
     * line: those that did not change while a tool and nsscope were compared.
     */
    static Map<Integer, Proc> unchanged(Map<Integer, Proc> before, Map<Integer, Proc> after) {
        Map<Integer, Proc> unchanged = new HashMap<>();
        for (Proc b : before.values()) {
            Proc a = after.get(b.pid());
            if (b.sameProcessAs(a)
                    && b.ppid() == a.ppid()
                    && Objects.equals(b.uid(), a.uid())
                    && Objects.equals(b.cmdline(), a.cmdline())
                    && b.comm().equals(a.comm())) {
                unchanged.put(b.pid(), a);
            }
        }
        return unchanged;
    }

    /** The numeric entries of /proc. */
    static List<Integer> pids() {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    pids.add(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Collections.sort(pids);
        return pids;
    }

    /** The children of a process (those whose stat names it as parent), ascending. */
    static List<Proc> children(int pid) {
        List<Proc> children = new ArrayList<>();
        for (int p : pids()) {
            if (ppidOf(p) == pid) {
                read(p).filter(proc -> proc.ppid() == pid).ifPresent(children::add);
            }
        }
        return children;
    }

    /** Field 4 of /proc/PID/stat, or -1 if the process is gone. */
    private static int ppidOf(int pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.UTF_8);
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ", 3)[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The {@code NSpid:} line of /proc/PID/status, as numbers. */
    static List<Integer> nspid(int pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(pid + "/status"))) {
                if (line.startsWith("NSpid:")) {
                    List<Integer> numbers = new ArrayList<>();
                    for (String part : line.substring(6).trim().split("\\s+")) {
                        numbers.add(Integer.parseInt(part));
                    }
                    return numbers;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no NSpid line in /proc/" + pid + "/status");
    }

    /** The inode in a link target such as {@code net:[4026531992]}. */
    static long inodeOf(String target) {
        int open = target.indexOf(":[");
        if (open < 0 || !target.endsWith("]")) {
            throw new IllegalArgumentException("not a namespace link target: " + target);
        }
        return Long.parseLong(target.substring(open + 2, target.length() - 1));
    }

    /** The namespace type a link points to: {@code pid_for_children} → {@code pid}. */
    static String typeOf(String link) {
        return link.endsWith("_for_children") ? link.substring(0, link.length() - "_for_children".length()) : link;
    }

    static String abbreviate(String text) {
        return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
    }
}
