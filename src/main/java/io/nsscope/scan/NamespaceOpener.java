package io.nsscope.scan;

import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Fd;
import java.nio.file.Path;

/**
 * Opens a namespace file, for the nsfs ioctls ({@link Relations}): through a path ({@code /proc/PID/ns/TYPE}, a bind
 * mount, {@code /proc/PID/fd/N}) or, for a namespace held by a socket, through the socket itself.
 */
@FunctionalInterface
interface NamespaceOpener {

    /**
     * A descriptor of the namespace, or null if what held it no longer does (the descriptor now refers to something
     * else).
     *
     * @throws io.nsscope.jna.SyscallException with the errno of the call that failed
     */
    Fd open();

    /** Opens the file at a path, read-only. */
    static NamespaceOpener of(Path path) {
        return () -> Descriptors.open(path);
    }
}
