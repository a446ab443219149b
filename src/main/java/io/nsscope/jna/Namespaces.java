package io.nsscope.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;

/**
 * Changing the calling thread's namespaces: {@code unshare(2)}, {@code setns(2)}, and {@code sethostname(2)} in a
 * uts namespace of its own. The kernel applies them to the calling thread only: call them on a thread from
 * {@link ThrowawayThread}, never on a pooled or virtual one.
 */
public final class Namespaces {

    /** Through an interface (rare calls); {@link Libc#load} pins the cleaner for whatever memory JNA allocates. */
    private interface C extends Library {
        int unshare(int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;

        int sethostname(byte[] name, NativeLong len) throws LastErrorException;
    }

    private static final C LIBC = Libc.load(C.class);

    static {
        Libc.bindAll(); // before any thread here can change its namespaces
    }

    private Namespaces() {}

    /** {@code unshare(2)} for the calling thread; {@code flags} are {@code CLONE_NEW*} flags ({@code linux/sched.h}). */
    public static void unshare(int flags) {
        try {
            LIBC.unshare(flags);
        } catch (LastErrorException e) {
            throw Libc.fail("unshare", e);
        }
    }

    /**
     * {@code setns(2)}: moves the calling thread into the namespace {@code fd} refers to.
     *
     * @param nstype the namespace's {@code CLONE_NEW*} flag, or 0 for any
     */
    public static void setns(Fd fd, int nstype) {
        try {
            LIBC.setns(fd.value(), nstype);
        } catch (LastErrorException e) {
            throw Libc.fail("setns", e);
        }
    }

    /** {@code sethostname(2)} in the calling thread's uts namespace. */
    public static void sethostname(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        try {
            LIBC.sethostname(bytes, new NativeLong(bytes.length));
        } catch (LastErrorException e) {
            throw Libc.fail("sethostname", e);
        }
    }
}
