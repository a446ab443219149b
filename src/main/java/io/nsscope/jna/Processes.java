package io.nsscope.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * Other processes, through pidfds where the kernel has them (a pidfd keeps naming its process, never a reused PID):
 * {@code pidfd_open(2)}, {@code pidfd_send_signal(2)}, {@code pidfd_getfd(2)}, {@code waitid(2)} on a pidfd; and
 * {@code kill(2)} for a process group, {@code gettid(2)} for the calling thread. x86_64 and aarch64 number the pidfd
 * calls the same (the generic syscall table).
 */
public final class Processes {

    /** {@code SIGKILL}, signal(7). */
    public static final int SIGKILL = 9;

    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;
    private static final long SYS_PIDFD_GETFD = 438;
    private static final int P_PIDFD = 3;
    private static final int WEXITED = 4;
    private static final int WNOHANG = 1;

    private interface C extends Library {
        int kill(int pid, int sig) throws LastErrorException;

        int gettid();

        NativeLong syscall(NativeLong number, int a, int b) throws LastErrorException;

        NativeLong syscall(NativeLong number, int a, int b, int c) throws LastErrorException;

        NativeLong syscall(NativeLong number, int a, int b, Pointer c, int d) throws LastErrorException;

        int waitid(int idtype, int id, Pointer infop, int options) throws LastErrorException;
    }

    private static final C LIBC = Libc.load(C.class);

    private Processes() {}

    private static C c() {
        return LIBC;
    }

    /** {@code pidfd_open(2)}: a descriptor that keeps referring to this process, never to a reused PID. */
    public static Fd pidfdOpen(int pid) {
        try {
            return new Fd(c().syscall(new NativeLong(SYS_PIDFD_OPEN), pid, 0).intValue());
        } catch (LastErrorException e) {
            throw Libc.fail("pidfd_open", e);
        }
    }

    /** {@code pidfd_send_signal(2)}; signal 0 only asks whether the process still runs. */
    public static void pidfdSendSignal(Fd pidfd, int signal) {
        try {
            c().syscall(new NativeLong(SYS_PIDFD_SEND_SIGNAL), pidfd.value(), signal, Pointer.NULL, 0);
        } catch (LastErrorException e) {
            throw Libc.fail("pidfd_send_signal", e);
        }
    }

    /** {@code pidfd_getfd(2)}: a duplicate of another process's file descriptor (needs ptrace access). */
    public static Fd pidfdGetfd(Fd pidfd, int targetFd) {
        try {
            return new Fd(c().syscall(new NativeLong(SYS_PIDFD_GETFD), pidfd.value(), targetFd, 0)
                    .intValue());
        } catch (LastErrorException e) {
            throw Libc.fail("pidfd_getfd", e);
        }
    }

    /**
     * {@code waitid(P_PIDFD, ...)}: waits for (or with {@code block == false}, polls) the exit of a child, and reaps it.
     * Returns null when polling and the child still runs.
     */
    public static ExitStatus waitExit(Fd pidfd, boolean block) {
        try (Memory info = new Memory(128)) { // siginfo_t
            info.clear();
            c().waitid(P_PIDFD, pidfd.value(), info, WEXITED | (block ? 0 : WNOHANG));
            int pid = info.getInt(16); // si_pid: 0 when WNOHANG found nothing
            if (pid == 0) {
                return null;
            }
            return ExitStatus.of(info.getInt(8), info.getInt(24)); // si_code, si_status
        } catch (LastErrorException e) {
            throw Libc.fail("waitid", e);
        }
    }

    /** {@code kill(2)}: a negative pid signals a process group. */
    public static void kill(int pid, int signal) {
        try {
            c().kill(pid, signal);
        } catch (LastErrorException e) {
            throw Libc.fail("kill", e);
        }
    }

    /** {@code gettid(2)}: the calling thread's id, e.g. for {@code /proc/TID/timens_offsets}. */
    public static int gettid() {
        return c().gettid();
    }
}
