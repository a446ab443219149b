package io.nsscope.sandbox;

import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Errno;
import io.nsscope.jna.Fd;
import io.nsscope.jna.Processes;
import io.nsscope.jna.SyscallException;
import io.nsscope.procfs.ProcFs;
import io.nsscope.procfs.ProcessVanishedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ending sandbox processes: signals through pidfds, process groups, and the environment mark. */
final class Reaping {

    /** The variable that marks every process of a sandbox, {@code NSSCOPE_SANDBOX_ID=<id>}. */
    static final String MARK = "NSSCOPE_SANDBOX_ID";

    private static final Logger log = LoggerFactory.getLogger(Reaping.class);

    private Reaping() {}

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

    /**
     * SIGKILL to the process group {@code pgid} (a sandbox's first process leads its own session and group). Called
     * while another failure is being reported, so it does not throw: an empty group (ESRCH) is what we want, any
     * other refusal is logged.
     */
    static void killGroupQuietly(int pgid) {
        try {
            Processes.kill(-pgid, Processes.SIGKILL);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ESRCH) {
                log.warn("could not kill process group {} of a sandbox that failed to start: {}", pgid, e.getMessage());
            }
        }
    }

    /**
     * Whether the process behind a pidfd still exists (signal 0): ESRCH once it has exited, EBADF once the sandbox
     * closed its pidfd. Any other refusal is logged and counts as alive, so the poll that asks goes on asking
     * rather than ending a sandbox it knows nothing about.
     */
    static boolean alive(Fd pidfd) {
        try {
            Processes.pidfdSendSignal(pidfd, 0);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == Errno.ESRCH || e.errno() == Errno.EBADF) {
                return false;
            }
            log.warn("cannot tell whether a sandbox process is alive: {}", e.getMessage());
            return true;
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
            // What was read so far is the output there is; it goes into an error the caller reports anyway.
            log.debug("reading a failed sandbox's output ended early: {}", e.getMessage());
        }
        return tail.text();
    }
}
