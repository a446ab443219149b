package io.nsscope.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import io.nsscope.namespace.NamespaceType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The one binding to the Linux kernel and glibc ({@code libc.so.6}) in nsscope: namespaces ({@code unshare(2)},
 * {@code setns(2)}, the nsfs {@code ioctl_ns(2)} requests), processes ({@code posix_spawn(3)}, pidfds,
 * {@code waitid(2)}) and a few file-descriptor calls. Every failure becomes a {@link SyscallException} carrying the
 * call's name and the errno as a named {@link Errno}; JNA's own exception never leaves this class.
 *
 * <p>Namespace-changing calls ({@link #unshare}, {@link #setns}, {@link #sethostname}, {@link #mount}) apply to the
 * calling thread only: call them on a thread from {@link ThrowawayThread}, never on a pooled or virtual one.
 * x86_64 and aarch64 (the generic syscall table numbers the pidfd calls the same on both).
 */
public final class Linux {

    /** {@code CLONE_NEW*} flags from {@code linux/sched.h}, for {@link #unshare} and {@link #setns}. */
    public static final int CLONE_NEWTIME = 0x00000080;
    public static final int CLONE_NEWNS = 0x00020000;
    public static final int CLONE_NEWCGROUP = 0x02000000;
    public static final int CLONE_NEWUTS = 0x04000000;
    public static final int CLONE_NEWIPC = 0x08000000;
    public static final int CLONE_NEWUSER = 0x10000000;
    public static final int CLONE_NEWPID = 0x20000000;
    public static final int CLONE_NEWNET = 0x40000000;

    /** {@code mount(2)} flags. */
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_REC = 16384;
    public static final long MS_PRIVATE = 1 << 18;

    public static final int SIGKILL = 9;

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_NOFOLLOW = 0x20000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_PATH = 0x200000;
    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));
    /** {@code execveat(2)}'s number, for a helper that execs a descriptor (x86_64 322, aarch64 281). */
    public static final int SYS_EXECVEAT = AARCH64 ? 281 : 322;
    // ioctl_ns(2): _IO(0xb7, n)
    private static final long NS_GET_USERNS = 0xb701;
    private static final long NS_GET_PARENT = 0xb702;
    private static final long NS_GET_NSTYPE = 0xb703;
    private static final long NS_GET_OWNER_UID = 0xb704;
    // linux/sockios.h: the network namespace of a socket, as an fd
    private static final long SIOCGSKNS = 0x894C;
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;
    private static final long SYS_PIDFD_GETFD = 438;
    private static final int P_PIDFD = 3;
    private static final int WEXITED = 4;
    private static final int WNOHANG = 1;
    // glibc spawn.h
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;

    /** libc as JNA sees it: prototypes with {@code LastErrorException} so errno is captured right after the call. */
    private interface C extends Library {
        int unshare(int flags) throws LastErrorException;
        int setns(int fd, int nstype) throws LastErrorException;
        int sethostname(byte[] name, NativeLong len) throws LastErrorException;
        int mount(String source, String target, String fstype, NativeLong flags, String data)
                throws LastErrorException;
        int umount2(String target, int flags) throws LastErrorException;
        int pipe2(int[] fds, int flags) throws LastErrorException;
        NativeLong read(int fd, byte[] buf, NativeLong count) throws LastErrorException;
        NativeLong write(int fd, byte[] buf, NativeLong count) throws LastErrorException;
        int kill(int pid, int sig) throws LastErrorException;
        int gettid();
        NativeLong syscall(NativeLong number, int a, int b) throws LastErrorException;
        NativeLong syscall(NativeLong number, int a, int b, int c) throws LastErrorException;
        NativeLong syscall(NativeLong number, int a, int b, Pointer c, int d) throws LastErrorException;
        int waitid(int idtype, int id, Pointer infop, int options) throws LastErrorException;
        // posix_spawn(3) family: these return an error number instead of setting errno
        int posix_spawn_file_actions_init(Pointer fileActions);
        int posix_spawn_file_actions_destroy(Pointer fileActions);
        int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newfd);
        int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);
        int posix_spawnattr_init(Pointer attr);
        int posix_spawnattr_destroy(Pointer attr);
        int posix_spawnattr_setflags(Pointer attr, short flags);
        int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);
        int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);
        int sigemptyset(Pointer set);
        int sigfillset(Pointer set);
        int socket(int domain, int type, int protocol) throws LastErrorException;
        // sandbox launching: posix_spawn with every argument already in native memory (see PreparedSpawn)
        int posix_spawn(Pointer pid, Pointer path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);
    }

    /**
     * The calls a scan makes for every namespace (open, fstat, the nsfs ioctls, close), directly mapped: JNA binds
     * them once as native methods, which costs a fraction of a call through the {@link C} proxy.
     */
    private static final class Direct {
        static {
            Native.register("libc.so.6");
        }

        static native int open(String path, int flags) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native int ioctl(int fd, long request) throws LastErrorException;

        static native int ioctl(int fd, long request, int[] arg) throws LastErrorException;

        static native int fstat(int fd, long[] stat) throws LastErrorException;

        static native long send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        static native long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        static native long write(int fd, byte[] buf, long count) throws LastErrorException;

    }

    private static final class Holder {
        static final C LIBC = Native.load("libc.so.6", C.class);
        /**
         * Never freed: JNA's cleaner thread stops when no native memory is registered for 30 s and is started again
         * by the next allocation, on whatever thread allocates. Kept registered, it runs for good, so an allocation
         * on a thread that unshared namespaces (a String argument becomes native memory) never starts it there.
         */
        static final Memory CLEANER_PIN = new Memory(8);
    }

    private Linux() {
    }

    private static C c() {
        return Holder.LIBC;
    }

    private static SyscallException fail(String call, LastErrorException e) {
        return new SyscallException(call, e.getErrorCode());
    }

    /** {@code unshare(2)} for the calling thread. */
    public static void unshare(int flags) {
        try {
            c().unshare(flags);
        } catch (LastErrorException e) {
            throw fail("unshare", e);
        }
    }

    /** {@code setns(2)}: moves the calling thread into the namespace {@code fd} refers to. */
    public static void setns(Fd fd, int nstype) {
        try {
            c().setns(fd.value(), nstype);
        } catch (LastErrorException e) {
            throw fail("setns", e);
        }
    }

    /** {@code sethostname(2)} in the calling thread's uts namespace. */
    public static void sethostname(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        try {
            c().sethostname(bytes, new NativeLong(bytes.length));
        } catch (LastErrorException e) {
            throw fail("sethostname", e);
        }
    }

    /** {@code mount(2)} in the calling thread's mount namespace; {@code source}, {@code fstype}, {@code data} may be null. */
    public static void mount(String source, String target, String fstype, long flags, String data) {
        try {
            c().mount(source, target, fstype, new NativeLong(flags), data);
        } catch (LastErrorException e) {
            throw fail("mount", e);
        }
    }

    /** {@code umount2(target, MNT_DETACH)} in the calling thread's mount namespace. */
    public static void detach(String target) {
        try {
            c().umount2(target, 2 /* MNT_DETACH */);
        } catch (LastErrorException e) {
            throw fail("umount2", e);
        }
    }

    /** Opens a file read-only and close-on-exec, e.g. {@code /proc/PID/ns/net}. */
    public static Fd open(Path path) {
        try {
            return new Fd(Direct.open(path.toString(), O_RDONLY | O_CLOEXEC));
        } catch (LastErrorException e) {
            throw fail("open", e);
        }
    }

    /**
     * Opens a file for writing, close-on-exec and without following a final symbolic link: a kernel file such as
     * {@code /proc/PID/uid_map} or a cgroup's {@code cgroup.procs}.
     */
    public static Fd openForWriting(Path path) {
        try {
            return new Fd(Direct.open(path.toString(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
        } catch (LastErrorException e) {
            throw fail("open", e);
        }
    }

    /**
     * Writes {@code content} to a kernel file in one {@code write(2)}, as such files need (a procfs map or a cgroup
     * control file takes one write); the errno of the open or the write, never a message, says why it failed.
     *
     * @param call the name the failure carries, e.g. {@code write(uid_map)}
     */
    public static void writeFile(Path path, byte[] content, String call) {
        try (Fd fd = openForWriting(path)) {
            int n = (int) Direct.write(fd.value(), content, content.length);
            if (n != content.length) {
                throw new SyscallException(call + " (short write)", Errno.EINVAL.code());
            }
        } catch (LastErrorException e) {
            throw fail(call, e);
        } catch (SyscallException e) {
            throw e.syscall().startsWith(call) ? e : new SyscallException(call, e.code());
        }
    }

    /**
     * Opens a file as a location only ({@code O_PATH}, close-on-exec), following symbolic links: a descriptor that
     * keeps naming the same inode whatever later happens to the path, for {@link #status} and {@code execveat(2)}.
     */
    public static Fd openPath(Path path) {
        try {
            return new Fd(Direct.open(path.toString(), O_PATH | O_CLOEXEC));
        } catch (LastErrorException e) {
            throw fail("open", e);
        }
    }

    /** {@code fstat(2)}: type, mode, owner and identity of an open file. */
    public static FileStatus status(Fd fd) {
        long[] stat = new long[32]; // struct stat: 144 bytes on x86_64, 128 on aarch64
        try {
            Direct.fstat(fd.value(), stat);
        } catch (LastErrorException e) {
            throw fail("fstat", e);
        }
        // x86_64: st_dev, st_ino, st_nlink (8 bytes each), then st_mode, st_uid, st_gid (4 each);
        // aarch64 (asm-generic): st_dev, st_ino (8 each), then st_mode, st_nlink, st_uid, st_gid (4 each)
        int mode = (int) (AARCH64 ? stat[2] : stat[3]);
        int uid = (int) (AARCH64 ? stat[3] : stat[3] >>> 32);
        int gid = (int) (AARCH64 ? stat[3] >>> 32 : stat[4]);
        return new FileStatus(stat[0], stat[1], mode, Integer.toUnsignedLong(uid), Integer.toUnsignedLong(gid));
    }

    static void close(int fd) {
        try {
            Direct.close(fd);
        } catch (LastErrorException e) {
            throw fail("close", e);
        }
    }

    /** {@code NS_GET_PARENT}: the parent of a pid or user namespace (EPERM outside the caller's user namespace). */
    public static Fd parentNamespace(Fd ns) {
        return nsIoctl("ioctl(NS_GET_PARENT)", ns, NS_GET_PARENT);
    }

    /** {@code NS_GET_USERNS}: the user namespace that owns a namespace. */
    public static Fd owningUserNamespace(Fd ns) {
        return nsIoctl("ioctl(NS_GET_USERNS)", ns, NS_GET_USERNS);
    }

    /** {@code NS_GET_NSTYPE}: the {@code CLONE_NEW*} flag of a namespace file. */
    public static int namespaceType(Fd ns) {
        try {
            return Direct.ioctl(ns.value(), NS_GET_NSTYPE);
        } catch (LastErrorException e) {
            throw fail("ioctl(NS_GET_NSTYPE)", e);
        }
    }

    /** {@code NS_GET_OWNER_UID}: the uid (in the caller's user namespace) of a user namespace's creator. */
    public static int ownerUid(Fd userNs) {
        int[] uid = new int[1];
        try {
            Direct.ioctl(userNs.value(), NS_GET_OWNER_UID, uid);
            return uid[0];
        } catch (LastErrorException e) {
            throw fail("ioctl(NS_GET_OWNER_UID)", e);
        }
    }

    /** {@code SIOCGSKNS}: the network namespace of a socket. */
    public static Fd socketNetworkNamespace(Fd socket) {
        return nsIoctl("ioctl(SIOCGSKNS)", socket, SIOCGSKNS);
    }

    private static Fd nsIoctl(String name, Fd fd, long request) {
        try {
            return new Fd(Direct.ioctl(fd.value(), request));
        } catch (LastErrorException e) {
            throw fail(name, e);
        }
    }

    /** {@code pidfd_open(2)}: a descriptor that keeps referring to this process, never to a reused PID. */
    public static Fd pidfdOpen(int pid) {
        try {
            return new Fd(c().syscall(new NativeLong(SYS_PIDFD_OPEN), pid, 0).intValue());
        } catch (LastErrorException e) {
            throw fail("pidfd_open", e);
        }
    }

    /** {@code pidfd_send_signal(2)}. */
    public static void pidfdSendSignal(Fd pidfd, int signal) {
        try {
            c().syscall(new NativeLong(SYS_PIDFD_SEND_SIGNAL), pidfd.value(), signal, Pointer.NULL, 0);
        } catch (LastErrorException e) {
            throw fail("pidfd_send_signal", e);
        }
    }

    /** {@code pidfd_getfd(2)}: a duplicate of another process's file descriptor (needs ptrace access). */
    public static Fd pidfdGetfd(Fd pidfd, int targetFd) {
        try {
            return new Fd(c().syscall(new NativeLong(SYS_PIDFD_GETFD), pidfd.value(), targetFd, 0).intValue());
        } catch (LastErrorException e) {
            throw fail("pidfd_getfd", e);
        }
    }

    /**
     * {@code waitid(P_PIDFD, ...)}: waits for (or with {@code block == false}, polls) the exit of a child, and reaps it.
     * Returns null when polling and the child still runs.
     */
    public static ExitStatus waitExit(Fd pidfd, boolean block) {
        try (Memory info = new Memory(128)) {
            info.clear();
            c().waitid(P_PIDFD, pidfd.value(), info, WEXITED | (block ? 0 : WNOHANG));
            int pid = info.getInt(16);
            if (pid == 0) {
                return null;
            }
            return ExitStatus.of(info.getInt(8), info.getInt(24));
        } catch (LastErrorException e) {
            throw fail("waitid", e);
        }
    }


    /** {@code kill(2)}: a negative pid signals a process group. */
    public static void kill(int pid, int signal) {
        try {
            c().kill(pid, signal);
        } catch (LastErrorException e) {
            throw fail("kill", e);
        }
    }

    /** {@code gettid(2)}: the calling thread's id, e.g. for {@code /proc/TID/timens_offsets}. */
    public static int gettid() {
        return c().gettid();
    }

    /** {@code pipe2(O_CLOEXEC)}: {@code [read end, write end]}. */
    public static Fd[] pipe() {
        int[] fds = new int[2];
        try {
            c().pipe2(fds, O_CLOEXEC);
        } catch (LastErrorException e) {
            throw fail("pipe2", e);
        }
        return new Fd[] {new Fd(fds[0]), new Fd(fds[1])};
    }

    /** {@code read(2)}: the count read, 0 at end of file. */
    public static int read(Fd fd, byte[] buffer) {
        try {
            return c().read(fd.value(), buffer, new NativeLong(buffer.length)).intValue();
        } catch (LastErrorException e) {
            throw fail("read", e);
        }
    }

    /** {@code write(2)}: the count written. */
    public static int write(Fd fd, byte[] bytes) {
        try {
            return c().write(fd.value(), bytes, new NativeLong(bytes.length)).intValue();
        } catch (LastErrorException e) {
            throw fail("write", e);
        }
    }

    /**
     * Starts a program with {@code posix_spawn(3)}: no JVM thread is created (a thread that unshared a pid namespace
     * cannot create one), the child gets exactly {@code env} as its environment, default signal dispositions, an
     * empty signal mask, a new session (so its process group can be killed as one), the descriptors of
     * {@code fdMap} (pairs: the parent's fd, the child's number) and no other.
     *
     * @return the child's PID
     */
    public static int spawn(String path, List<String> argv, List<String> env, int... fdMap) {
        try (PreparedSpawn prepared = prepareSpawn(path, argv, env, fdMap)) {
            return prepared.start();
        }
    }

    /** The {@code CLONE_NEW*} flag of a namespace type, for {@link #unshare} and {@link #setns}. */
    public static int cloneFlag(NamespaceType type) {
        return switch (type) {
            case CGROUP -> CLONE_NEWCGROUP;
            case IPC -> CLONE_NEWIPC;
            case MNT -> CLONE_NEWNS;
            case NET -> CLONE_NEWNET;
            case PID -> CLONE_NEWPID;
            case TIME -> CLONE_NEWTIME;
            case USER -> CLONE_NEWUSER;
            case UTS -> CLONE_NEWUTS;
        };
    }

    /** The inode number of an open file ({@code st_ino} of {@code fstat(2)}), e.g. a namespace's NS number. */
    public static long inode(Fd fd) {
        long[] stat = new long[32]; // struct stat: 144 bytes on x86_64, 128 on aarch64
        try {
            Direct.fstat(fd.value(), stat);
            return stat[1]; // st_ino follows the 8-byte st_dev on x86_64 and aarch64
        } catch (LastErrorException e) {
            throw fail("fstat", e);
        }
    }

    /**
     * {@code socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)}: a route netlink socket in the calling
     * thread's network namespace (a socket keeps the namespace it was made in), for {@link #netnsid}, or to send
     * requests with {@link #write} and read the answers with {@link #read} (one datagram per read).
     */
    public static Fd routeNetlink() {
        try {
            return new Fd(c().socket(16 /* AF_NETLINK */, 3 /* SOCK_RAW */ | O_CLOEXEC, 0 /* NETLINK_ROUTE */));
        } catch (LastErrorException e) {
            throw fail("socket(AF_NETLINK)", e);
        }
    }

    /**
     * The ID the socket's network namespace gives another one ({@code RTM_GETNSID} with {@code NETNSA_FD}, as
     * {@code lsns} asks it): a number, {@code -1} when none is assigned ({@code NETNSA_NSID_NOT_ASSIGNED}), or null if
     * the kernel answered with an error.
     */
    public static Integer netnsid(Fd netlink, Fd netns) {
        ByteBuffer req = ByteBuffer.allocate(28).order(ByteOrder.nativeOrder());
        req.putInt(28).putShort((short) 90 /* RTM_GETNSID */).putShort((short) 1 /* NLM_F_REQUEST */)
                .putInt(0).putInt(0);
        req.put((byte) 0 /* AF_UNSPEC */).put(new byte[3]); // struct rtgenmsg, padded to 4
        req.putShort((short) 8).putShort((short) 3 /* NETNSA_FD */).putInt(netns.value());
        byte[] res = new byte[256];
        int n;
        try {
            Direct.send(netlink.value(), req.array(), 28, 0);
            n = (int) Direct.recv(netlink.value(), res, res.length, 0);
        } catch (LastErrorException e) {
            throw fail("netlink RTM_GETNSID", e);
        }
        ByteBuffer buf = ByteBuffer.wrap(res, 0, n).order(ByteOrder.nativeOrder());
        if (n < 28 || buf.getShort(4) != 88 /* RTM_NEWNSID */ || buf.getShort(22) != 1 /* NETNSA_NSID */) {
            return null;
        }
        return buf.getInt(24);
    }

    private static void check(String call, int result) {
        if (result != 0) {
            throw new SyscallException(call, result);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sandbox launching (io.nsscope.sandbox): a posix_spawn whose native memory is all allocated before unshare(2).
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Prepares a {@code posix_spawn(3)} like {@link #spawn}, allocating every piece of native memory now: a thread
     * that unshared a pid namespace cannot create threads, and one that unshared others must not, so between
     * {@code unshare} and the child's start nothing may allocate native memory (which can start JNA's cleaner
     * thread) or run JNA's lazy set-up. Start it with {@link PreparedSpawn#start()}, then close it.
     */
    public static PreparedSpawn prepareSpawn(String path, List<String> argv, List<String> env, int... fdMap) {
        return new PreparedSpawn(path, argv, env, fdMap);
    }

    /** A {@code posix_spawn(3)} with its attributes, file actions, path, argv and envp in native memory. */
    public static final class PreparedSpawn implements AutoCloseable {

        private final Memory actions = new Memory(256);
        private final Memory attr = new Memory(512);
        private final Memory pid = new Memory(8);
        private final Memory path;
        private final StringArray argv;
        private final StringArray env;
        private boolean closed;

        private PreparedSpawn(String path, List<String> argv, List<String> env, int... fdMap) {
            if (Holder.CLEANER_PIN.size() == 0) {
                throw new IllegalStateException("unreachable: keeps the pin initialised");
            }
            byte[] bytes = (path + "\0").getBytes(StandardCharsets.UTF_8);
            this.path = new Memory(bytes.length);
            this.path.write(0, bytes, 0, bytes.length);
            this.argv = new StringArray(argv.toArray(String[]::new));
            this.env = new StringArray(env.toArray(String[]::new));
            check("posix_spawn_file_actions_init", c().posix_spawn_file_actions_init(actions));
            check("posix_spawnattr_init", c().posix_spawnattr_init(attr));
            try (Memory sigset = new Memory(128)) {
                int highest = 2;
                for (int i = 0; i + 1 < fdMap.length; i += 2) {
                    check("posix_spawn_file_actions_adddup2",
                            c().posix_spawn_file_actions_adddup2(actions, fdMap[i], fdMap[i + 1]));
                    highest = Math.max(highest, fdMap[i + 1]);
                }
                check("posix_spawn_file_actions_addclosefrom_np",
                        c().posix_spawn_file_actions_addclosefrom_np(actions, highest + 1));
                c().sigemptyset(sigset);
                check("posix_spawnattr_setsigmask", c().posix_spawnattr_setsigmask(attr, sigset));
                c().sigfillset(sigset);
                check("posix_spawnattr_setsigdefault", c().posix_spawnattr_setsigdefault(attr, sigset));
                check("posix_spawnattr_setflags", c().posix_spawnattr_setflags(attr,
                        (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSID)));
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        /** Starts the child, allocating nothing; returns its PID. */
        public int start() {
            check("posix_spawn", c().posix_spawn(pid, path, actions, attr, argv, env));
            return pid.getInt(0);
        }

        /** Frees the attributes, the file actions and the native memory. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                c().posix_spawn_file_actions_destroy(actions);
                c().posix_spawnattr_destroy(attr);
                for (Memory m : new Memory[] {actions, attr, pid, path, argv, env}) {
                    m.close();
                }
            }
        }
    }

}
