package io.nsscope.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.NativeLong;

/**
 * {@code mount(2)} and {@code umount2(2)} in the calling thread's mount namespace: for a thread from
 * {@link ThrowawayThread} that unshared one (a sandbox's {@code /proc}, {@code /sys}, {@code /tmp}, its cgroup).
 */
public final class Mounts {

    /** {@code MS_NOSUID}: set-user-ID bits are ignored. */
    public static final long MS_NOSUID = 2;
    /** {@code MS_NODEV}: device files cannot be opened. */
    public static final long MS_NODEV = 4;
    /** {@code MS_NOEXEC}: nothing is executed from it. */
    public static final long MS_NOEXEC = 8;
    /** {@code MS_REC}: applies to the whole subtree. */
    public static final long MS_REC = 16384;
    /** {@code MS_PRIVATE}: mount events do not propagate to or from it. */
    public static final long MS_PRIVATE = 1 << 18;

    private static final int MNT_DETACH = 2;

    private interface C extends Library {
        int mount(String source, String target, String fstype, NativeLong flags, String data) throws LastErrorException;

        int umount2(String target, int flags) throws LastErrorException;
    }

    private static final C LIBC = Libc.load(C.class);

    private Mounts() {}

    /** {@code mount(2)}; {@code source}, {@code fstype}, {@code data} may be null. */
    public static void mount(String source, String target, String fstype, long flags, String data) {
        try {
            LIBC.mount(source, target, fstype, new NativeLong(flags), data);
        } catch (LastErrorException e) {
            throw Libc.fail("mount", e);
        }
    }

    /** {@code umount2(target, MNT_DETACH)}. */
    public static void detach(String target) {
        try {
            LIBC.umount2(target, MNT_DETACH);
        } catch (LastErrorException e) {
            throw Libc.fail("umount2", e);
        }
    }
}
