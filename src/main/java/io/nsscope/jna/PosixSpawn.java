package io.nsscope.jna;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A {@code posix_spawn(3)} with its attributes, file actions, path, argv and envp already in native memory. No JVM
 * thread is created (a thread that unshared a pid namespace cannot create one); the child gets exactly the given
 * environment, default signal dispositions, an empty signal mask, a new session (so its process group can be killed
 * as one), the descriptors of {@code fdMap} (pairs: the parent's fd, the child's number) and no other.
 *
 * <p>Everything is allocated by {@link #prepare}: a thread that unshared a pid namespace cannot create threads, and
 * one that unshared others must not, so between {@code unshare} and the child's start nothing may allocate native
 * memory (which can start JNA's cleaner thread) or run JNA's lazy set-up. {@link #start()} allocates nothing.
 */
public final class PosixSpawn implements AutoCloseable {

    /** {@code execveat(2)}'s number, for a helper that execs a descriptor (x86_64 322, aarch64 281). */
    public static final int SYS_EXECVEAT = Libc.AARCH64 ? 281 : 322;

    // glibc spawn.h
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;

    /** The posix_spawn(3) family: these return an error number instead of setting errno. */
    private interface C extends Library {
        int posix_spawn(Pointer pid, Pointer path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);

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
    }

    private static final C LIBC = Libc.load(C.class);

    private final Memory actions = new Memory(256);
    private final Memory attr = new Memory(512);
    private final Memory pid = new Memory(8);
    private final Memory path;
    private final StringArray argv;
    private final StringArray env;
    private boolean closed;

    /** Prepares a spawn; start it with {@link #start()}, then close it. */
    public static PosixSpawn prepare(String path, List<String> argv, List<String> env, int... fdMap) {
        return new PosixSpawn(path, argv, env, fdMap);
    }

    /** Prepares, starts and frees a spawn at once; returns the child's PID. */
    public static int run(String path, List<String> argv, List<String> env, int... fdMap) {
        try (PosixSpawn prepared = prepare(path, argv, env, fdMap)) {
            return prepared.start();
        }
    }

    private PosixSpawn(String path, List<String> argv, List<String> env, int... fdMap) {
        Libc.pin();
        C c = LIBC;
        byte[] bytes = (path + "\0").getBytes(StandardCharsets.UTF_8);
        this.path = new Memory(bytes.length);
        this.path.write(0, bytes, 0, bytes.length);
        this.argv = new StringArray(argv.toArray(String[]::new));
        this.env = new StringArray(env.toArray(String[]::new));
        Libc.check("posix_spawn_file_actions_init", c.posix_spawn_file_actions_init(actions));
        Libc.check("posix_spawnattr_init", c.posix_spawnattr_init(attr));
        try (Memory sigset = new Memory(128)) {
            int highest = 2;
            for (int i = 0; i + 1 < fdMap.length; i += 2) {
                Libc.check(
                        "posix_spawn_file_actions_adddup2",
                        c.posix_spawn_file_actions_adddup2(actions, fdMap[i], fdMap[i + 1]));
                highest = Math.max(highest, fdMap[i + 1]);
            }
            Libc.check(
                    "posix_spawn_file_actions_addclosefrom_np",
                    c.posix_spawn_file_actions_addclosefrom_np(actions, highest + 1));
            c.sigemptyset(sigset);
            Libc.check("posix_spawnattr_setsigmask", c.posix_spawnattr_setsigmask(attr, sigset));
            c.sigfillset(sigset);
            Libc.check("posix_spawnattr_setsigdefault", c.posix_spawnattr_setsigdefault(attr, sigset));
            Libc.check("posix_spawnattr_setflags", c.posix_spawnattr_setflags(attr, (short)
                    (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSID)));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts the child, allocating nothing; returns its PID. */
    public int start() {
        Libc.check("posix_spawn", LIBC.posix_spawn(pid, path, actions, attr, argv, env));
        return pid.getInt(0);
    }

    /** Frees the attributes, the file actions and the native memory. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LIBC.posix_spawn_file_actions_destroy(actions);
            LIBC.posix_spawnattr_destroy(attr);
            for (Memory m : new Memory[] {actions, attr, pid, path, argv, env}) {
                m.close();
            }
        }
    }
}
