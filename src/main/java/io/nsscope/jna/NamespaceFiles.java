package io.nsscope.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * What the kernel tells of an open namespace file through the nsfs requests of {@code ioctl_ns(2)} (type, owner,
 * parent, the owner's uid), and the network namespace of a socket ({@code SIOCGSKNS}). Read-only: none changes a
 * namespace. Directly mapped: the scan asks them of every namespace.
 */
public final class NamespaceFiles {

    // ioctl_ns(2): _IO(0xb7, n)
    private static final long NS_GET_USERNS = 0xb701;
    private static final long NS_GET_PARENT = 0xb702;
    private static final long NS_GET_NSTYPE = 0xb703;
    private static final long NS_GET_OWNER_UID = 0xb704;
    // linux/sockios.h: the network namespace of a socket, as an fd
    private static final long SIOCGSKNS = 0x894C;

    /** Directly mapped, and bound when this class is first used (never later, on a thread that changed namespaces). */
    private static final class Direct {
        static native int ioctl(int fd, long request) throws LastErrorException;

        static native int ioctl(int fd, long request, int[] arg) throws LastErrorException;
    }

    static {
        Native.register(Direct.class, Libc.NAME);
    }

    private NamespaceFiles() {}

    /** {@code NS_GET_PARENT}: the parent of a pid or user namespace (EPERM outside the caller's user namespace). */
    public static Fd parentNamespace(Fd ns) {
        return descriptor("ioctl(NS_GET_PARENT)", ns, NS_GET_PARENT);
    }

    /** {@code NS_GET_USERNS}: the user namespace that owns a namespace. */
    public static Fd owningUserNamespace(Fd ns) {
        return descriptor("ioctl(NS_GET_USERNS)", ns, NS_GET_USERNS);
    }

    /** {@code NS_GET_NSTYPE}: the {@code CLONE_NEW*} flag of a namespace file (see {@link Namespaces}). */
    public static int namespaceType(Fd ns) {
        try {
            return Direct.ioctl(ns.value(), NS_GET_NSTYPE);
        } catch (LastErrorException e) {
            throw Libc.fail("ioctl(NS_GET_NSTYPE)", e);
        }
    }

    /** {@code NS_GET_OWNER_UID}: the uid (in the caller's user namespace) of a user namespace's creator. */
    public static int ownerUid(Fd userNs) {
        int[] uid = new int[1];
        try {
            Direct.ioctl(userNs.value(), NS_GET_OWNER_UID, uid);
            return uid[0];
        } catch (LastErrorException e) {
            throw Libc.fail("ioctl(NS_GET_OWNER_UID)", e);
        }
    }

    /** {@code SIOCGSKNS}: the network namespace of a socket. */
    public static Fd socketNetworkNamespace(Fd socket) {
        return descriptor("ioctl(SIOCGSKNS)", socket, SIOCGSKNS);
    }

    private static Fd descriptor(String name, Fd fd, long request) {
        try {
            return new Fd(Direct.ioctl(fd.value(), request));
        } catch (LastErrorException e) {
            throw Libc.fail(name, e);
        }
    }
}
