package io.nsscope.sandbox;

import io.nsscope.jna.Errno;
import io.nsscope.jna.Fd;
import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Processes;
import io.nsscope.jna.SyscallException;
import java.io.IOException;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcessVanishedException;
import java.util.ArrayList;
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
            Processes.pidfdSendSignal(pidfd, Processes.SIGKILL);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ESRCH && e.errno() != Errno.EBADF) {
                throw e;
            }
        }
    }

    /** SIGKILL to the process group {@code pgid} (a sandbox's first process leads its own session and group). */
    static void killGroupQuietly(int pgid) {
        try {
            Processes.kill(-pgid, Processes.SIGKILL);
        } catch (SyscallException e) {
            // ESRCH: the group is empty
        }
    }

    /** Whether the process behind a pidfd still exists (signal 0). */
    static boolean alive(Fd pidfd) {
        try {
            Processes.pidfdSendSignal(pidfd, 0);
            return true;
        } catch (SyscallException e) {
            return false;
        }
    }

    /**
     * Every process of the host whose environment carries the mark, by sandbox id, in PID order: how a restart
     * finds the sandboxes a previous run left (their processes' {@code environ} as it was at exec).
     */
    static Map<String, List<Integer>> marked(ProcFs proc) {
        Map<String, List<Integer>> byId = new HashMap<>();
        int[] pids;
        try {
            pids = proc.pids();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + proc.root(), e);
        }
        for (int pid : pids) {
            String id = markOf(proc, pid);
            if (id != null) {
                byId.computeIfAbsent(id, k -> new ArrayList<>()).add(pid);
            }
        }
        return byId;
    }

    /** The sandbox id in the process's environment, or null. */
    static String markOf(ProcFs proc, int pid) {
        String env;
        try {
            env = proc.read(pid, "environ");
        } catch (IOException | ProcessVanishedException e) {
            return null; // exited, or a kernel thread
        }
        String needle = MARK + "=";
        for (String entry : env.split("\0")) {
            if (entry.startsWith(needle)) {
                return entry.substring(needle.length());
            }
        }
        return null;
    }

    /** Reads what is left in a pipe until EOF (the writers are dead), keeping at most {@code max} bytes. */
    static String drain(Fd fd, int max) {
        LogTail tail = new LogTail(max);
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = Descriptors.read(fd, buffer)) > 0; ) {
                tail.append(buffer, n);
            }
        } catch (SyscallException e) {
            // nothing more to read
        }
        return tail.text();
    }
}
