package io.nsscope.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsscope.live.LiveHost.Proc;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Commands a live test starts as direct children of the JVM, each in a session of its own with its stderr in a
 * file of {@code workDir}: waiting until a process of theirs is in place, and killing them all, innermost first.
 */
final class StartedCommands {

    /** The longest the test waits for a started process to be in place. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    /** A command started by the test (its direct child), with the file its stderr goes to. */
    record Started(String kind, Process process, Path stderr) {

        int pid() {
            return (int) process.pid();
        }
    }

    private final Path workDir;
    private final List<Started> started = Collections.synchronizedList(new ArrayList<>());

    StartedCommands(Path workDir) {
        this.workDir = workDir;
    }

    /** Starts a command as a direct child of this JVM, in a session (and process group) of its own. */
    Started start(String kind, String... command) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(LiveHost.tool("setsid").orElseThrow().toString());
        argv.addAll(List.of(command));
        Path stderr = workDir.resolve(kind + ".stderr");
        Process process = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile())
                .start();
        // setsid(1) execs without forking when its caller is not a group leader, as a JVM's child is not: the
        // process keeps its PID and leads a process group of its own, which the clean-up kills last.
        Started s = new Started(kind, process, stderr);
        started.add(s);
        return s;
    }

    /** The child of {@code parent} with these arguments, if there is one. */
    static Optional<Proc> childWith(int parent, List<String> argv) {
        return LiveHost.children(parent).stream()
                .filter(p -> p.argv().equals(argv))
                .findFirst();
    }

    /** The started command's own process, once it has exec'd these arguments. */
    static Proc awaitOwn(Started s, String... argv) {
        return awaitProc(s, () -> LiveHost.read(s.pid()), List.of(argv));
    }

    /**
     * Waits until the process found by {@code finder} has these arguments: exec'd, so that every namespace it is to
     * be in is in place. Fails at once, with the command's stderr, if the command exits meanwhile.
     */
    static Proc awaitProc(Started s, Supplier<Optional<Proc>> finder, List<String> argv) {
        AtomicReference<Proc> found = new AtomicReference<>();
        await().atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(20))
                .failFast(
                        s.kind() + ": the command exited",
                        () -> assertTrue(
                                s.process().isAlive(),
                                () -> s.kind() + ": the command exited with status "
                                        + s.process().exitValue() + ": " + readQuietly(s.stderr())))
                .untilAsserted(() -> {
                    Optional<Proc> p = finder.get();
                    assertTrue(
                            p.isPresent()
                                    && p.get().argv().equals(argv)
                                    && p.get().links().size() == LiveHost.LINKS.size(),
                            () -> s.kind() + ": no process " + argv + " (found " + p + "); stderr: "
                                    + readQuietly(s.stderr()));
                    found.set(p.get());
                });
        return found.get();
    }

    /**
     * Kills every command started, innermost first, so that each process is reaped by its own parent at once
     * (killing its forked child makes {@code unshare -f} exit, and the JVM reaps it) rather than left a zombie until
     * PID 1 reaps orphans. Then each process group is killed as a fallback. What failed, if anything.
     */
    List<String> stopAll() {
        List<String> failures = new ArrayList<>();
        List<Started> all;
        synchronized (started) {
            all = new ArrayList<>(started);
        }
        Collections.reverse(all);
        for (Started s : all) {
            try {
                long pid = s.process().pid();
                List<Proc> children = LiveHost.children((int) pid);
                for (Proc child : children) {
                    ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly);
                }
                if (children.isEmpty() || !s.process().waitFor(5, TimeUnit.SECONDS)) {
                    s.process().destroyForcibly();
                }
                if (!s.process().waitFor(5, TimeUnit.SECONDS)) {
                    failures.add(s.kind() + ": PID " + pid + " did not exit after SIGKILL");
                }
                // The group outlives its leader while it has members, so its ID cannot have been reused.
                if (LiveHost.readAll().values().stream().anyMatch(p -> p.pgrp() == pid)) {
                    LiveHost.run(LsnsRows.TOOL_TIMEOUT, "kill", "-KILL", "--", "-" + pid);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(s.kind() + ": interrupted while stopping");
            } catch (RuntimeException e) {
                failures.add(s.kind() + ": " + e);
            }
        }
        return failures;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
