package io.nsscope.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.lang.invoke.MethodHandles;
import java.util.List;

/**
 * What every binding in this package shares: the C library's name, the architecture, how an errno becomes a
 * {@link SyscallException}, and the one piece of native memory that keeps JNA's cleaner thread running.
 */
final class Libc {

    /** glibc, as JNA loads it. */
    static final String NAME = "libc.so.6";
    /** x86_64 or aarch64: the two differ in some syscall numbers and in {@code struct stat}. */
    static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));
    /** {@code O_CLOEXEC} ({@code SOCK_CLOEXEC} has the same value). */
    static final int O_CLOEXEC = 0x80000;

    /**
     * Never freed: JNA's cleaner thread stops when no native memory is registered for 30 s and is started again by
     * the next allocation, on whatever thread allocates. Kept registered, it runs for good, so an allocation on a
     * thread that unshared namespaces (a String argument through a {@link #load loaded} interface becomes native
     * memory) never starts it there.
     */
    private static final Memory CLEANER_PIN = new Memory(8);

    private Libc() {}

    /**
     * Binds an interface of libc prototypes (declared with {@code LastErrorException} so errno is captured right
     * after the call), pinning the cleaner thread first.
     */
    static <T extends Library> T load(Class<T> prototypes) {
        pin();
        return Native.load(NAME, prototypes);
    }

    /** Makes sure the cleaner pin exists: to call before anything that may run on an unshared thread. */
    static void pin() {
        if (CLEANER_PIN.size() == 0) {
            throw new IllegalStateException("unreachable: keeps the pin initialised");
        }
    }

    /**
     * Binds every class here that a thread may call once it changed its namespaces. Binding runs JNA's set-up
     * (loading the library, making a proxy, registering natives), which must not run on such a thread: after
     * {@code unshare(CLONE_NEWPID)} it cannot create threads, and a thread it created would carry its namespaces.
     */
    static void bindAll() {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (Class<?> binding : List.of(
                Descriptors.class,
                Mounts.class,
                NamespaceFiles.class,
                PosixSpawn.class,
                Processes.class,
                RouteNetlink.class)) {
            try {
                lookup.ensureInitialized(binding);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("unreachable: the same package", e);
            }
        }
    }

    /** The typed exception for a failed call, with the errno JNA captured right after it. */
    static SyscallException fail(String call, LastErrorException e) {
        return new SyscallException(call, e.getErrorCode());
    }

    /** For the functions that return an error number instead of setting errno ({@code posix_spawn(3)}'s family). */
    static void check(String call, int result) {
        if (result != 0) {
            throw new SyscallException(call, result);
        }
    }
}
