package io.nsscope.sandbox;

import io.nsscope.jna.Errno;
import io.nsscope.jna.Fd;
import io.nsscope.jna.Linux;
import io.nsscope.jna.SyscallException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Ending sandbox processes: signals through pidfds, process groups, and the environment mark. */
final class Reaping {

    /** The variable that marks every process of a sandbox, {@code NSSCOPE_SANDBOX_ID=<id>}. */
    static final String MARK = "NSSCOPE_SANDBOX_ID";

    private Reaping() {
    }

    /** SIGKILL through a pidfd; a process already gone is fine. */
    static void killQuietly(Fd pidfd) {
        try {
            Linux.pidfdSendSignal(pidfd, Linux.SIGKILL);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ESRCH && e.errno() != Errno.EBADF) {
                throw e;
            }
        }
    }

    /** SIGKILL to the process group {@code pgid} (a sandbox's first process leads its own session and group). */
    static void killGroupQuietly(int pgid) {
        try {
            Linux.kill(-pgid, Linux.SIGKILL);
        } catch (SyscallException e) {
            // ESRCH: the group is empty
        }
    }

    /** Whether the process behind a pidfd still exists (signal 0). */
    static boolean alive(Fd pidfd) {
        try {
            Linux.pidfdSendSignal(pidfd, 0);
            return true;
        } catch (SyscallException e) {
            return false;
        }
    }

    /** SIGKILL to every process marked with this sandbox's id (those that left its process group too). */
    static void killMarked(Path proc, String id) {
        List<Integer> pids = marked(proc).getOrDefault(id, List.of());
        for (int pid : pids) {
            try (Fd fd = Linux.pidfdOpen(pid)) {
                killQuietly(fd);
            } catch (SyscallException e) {
                // exited meanwhile
            }
        }
    }

    /** Every marked process of the host by sandbox id, in PID order. */
    static Map<String, List<Integer>> marked(Path proc) {
        Map<String, List<Integer>> byId = new HashMap<>();
        byte[] needle = (MARK + "=").getBytes(StandardCharsets.US_ASCII);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                String id = markOf(dir.resolve("environ"), needle);
                if (id != null) {
                    byId.computeIfAbsent(id, k -> new ArrayList<>()).add(Integer.parseInt(dir.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            return byId;
        }
        byId.values().forEach(list -> list.sort(null));
        return byId;
    }

    private static String markOf(Path environ, byte[] needle) {
        byte[] env;
        try {
            env = Files.readAllBytes(environ);
        } catch (IOException e) {
            return null; // exited, or a kernel thread
        }
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start > needle.length && Arrays.equals(env, start, start + needle.length, needle, 0,
                        needle.length)) {
                    return new String(env, start + needle.length, i - start - needle.length, StandardCharsets.UTF_8);
                }
                start = i + 1;
            }
        }
        return null;
    }

    /** Reads what is left in a pipe until EOF (the writers are dead), keeping at most {@code max} bytes. */
    static String drain(Fd fd, int max) {
        LogTail tail = new LogTail(max);
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = Linux.read(fd, buffer)) > 0; ) {
                tail.append(buffer, n);
            }
        } catch (SyscallException e) {
            // nothing more to read
        }
        return tail.text();
    }
}
