package io.nsscope.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * The calling thread's effective capabilities, from {@code capget(2)}: what nsscope may do here, so that a read that
 * needs a capability nsscope lacks is reported as such (with the capability's name) instead of being tried and
 * failing with a bare {@code EPERM}. capabilities(7) numbers them; only the ones nsscope asks about are named.
 */
public final class Capabilities {

    /** A capability, by its number in {@code linux/capability.h}. */
    public enum Capability {
        /** 2: read any file and search any directory (the chart grants it). */
        CAP_DAC_READ_SEARCH(2),
        /** 12: configure networking (routes, links; route netlink with a target netnsid). */
        CAP_NET_ADMIN(12),
        /** 19: ptrace any process: read access to another process's /proc/PID/ns (the chart grants it). */
        CAP_SYS_PTRACE(19),
        /** 21: among much else, {@code setns(2)} into another process's namespaces. */
        CAP_SYS_ADMIN(21);

        private final int number;

        Capability(int number) {
            this.number = number;
        }

        /** The capability's number. */
        public int number() {
            return number;
        }
    }

    private static final long SYS_CAPGET = Libc.AARCH64 ? 90 : 125;
    /** {@code _LINUX_CAPABILITY_VERSION_3}: two 32-bit words per set. */
    private static final int VERSION_3 = 0x20080522;

    private static final class Direct {
        static {
            Native.register(Libc.NAME);
        }

        static native long syscall(long number, int[] header, int[] data) throws LastErrorException;
    }

    private Capabilities() {}

    /** The calling thread's effective set, bit N for capability N. */
    public static long effective() {
        int[] header = {VERSION_3, 0}; // pid 0: the calling thread
        int[] data = new int[6]; // {effective, permitted, inheritable} for capabilities 0-31, then 32-63
        try {
            Direct.syscall(SYS_CAPGET, header, data);
        } catch (LastErrorException e) {
            throw new SyscallException("capget", e.getErrorCode());
        }
        return (data[0] & 0xffffffffL) | ((long) data[3] << 32);
    }

    /** Whether the calling thread holds this capability in its effective set. */
    public static boolean has(Capability capability) {
        return (effective() >>> capability.number() & 1) == 1;
    }
}
