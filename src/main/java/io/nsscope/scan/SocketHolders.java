package io.nsscope.scan;

import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Errno;
import io.nsscope.jna.Fd;
import io.nsscope.jna.FileStat;
import io.nsscope.jna.NamespaceFiles;
import io.nsscope.jna.Processes;
import io.nsscope.jna.RawFiles;
import io.nsscope.jna.SyscallException;
import io.nsscope.namespace.Holder;
import io.nsscope.namespace.NamespaceType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Network namespaces held by a socket whose process is in another one, found as {@code lsns} 2.42 finds them: each
 * socket descriptor is duplicated into nsscope with {@code pidfd_getfd(2)} (needs ptrace rights over the process) and
 * asked its namespace with {@code SIOCGSKNS}.
 *
 * <p>The descriptor duplicated is not necessarily the one stat'ed a moment before: the process may have closed it and
 * opened something else under the same number, a FUSE file say, on which an ioctl could wait for its daemon for good.
 * So before any ioctl the duplicate is stat'ed without asking its filesystem ({@code AT_STATX_DONT_SYNC}), and it must
 * be a socket ({@code S_ISSOCK}) with the inode seen before; anything else is skipped.
 *
 * <p>A process that exits, a descriptor closed meanwhile, or a kernel that refuses (EPERM: no ptrace right; ENOSYS:
 * before Linux 5.6) skips that socket.
 */
final class SocketHolders {

    private static final Set<Errno> SKIP = EnumSet.of(
            Errno.ESRCH,
            Errno.EBADF,
            Errno.EPERM,
            Errno.EACCES,
            Errno.ENOSYS,
            Errno.EINVAL,
            Errno.ENOTTY,
            Errno.EOPNOTSUPP,
            Errno.ENOENT);

    private SocketHolders() {}

    /**
     * The sockets of each process that hold another network namespace than the process's: those still held since the
     * last scan, and those found among the sockets to ask. By PID.
     */
    static Map<Integer, List<SocketHeld>> read(List<ProcessRead> reads) {
        Map<Integer, List<SocketHeld>> found = new HashMap<>();
        for (ProcessRead read : reads) {
            Long own = read.info().namespace(NamespaceType.NET);
            int pid = read.info().pid();
            List<SocketHeld> held = read.socketsHeld(); // copied only if some are to be added
            if (!read.socketFds().isEmpty() && own != null) {
                held = new ArrayList<>(held);
                try (Fd pidfd = Processes.pidfdOpen(pid)) {
                    for (SocketFd socket : read.socketFds()) {
                        Long netns = socketNamespace(pidfd, socket);
                        if (netns != null && !netns.equals(own)) {
                            held.add(new SocketHeld(
                                    new NamespaceRef(
                                            NamespaceType.NET,
                                            netns,
                                            Holder.fd(Holder.Kind.SOCKET, pid, socket.fd()),
                                            () -> open(pid, socket)),
                                    socket));
                        }
                    }
                } catch (SyscallException e) {
                    if (!SKIP.contains(e.errno())) {
                        throw e;
                    }
                }
            }
            if (!held.isEmpty()) {
                found.put(pid, held);
            }
        }
        return found;
    }

    /** The inode of the socket's network namespace, or null if it cannot be asked (gone, replaced, refused). */
    private static Long socketNamespace(Fd pidfd, SocketFd socket) {
        try (Fd netns = namespaceOf(pidfd, socket)) {
            return netns == null ? null : Descriptors.inode(netns);
        } catch (SyscallException e) {
            if (SKIP.contains(e.errno())) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Opens the network namespace of a process's socket (for the nsfs ioctls), or null if the descriptor is no
     * longer that socket.
     */
    static Fd open(int pid, SocketFd socket) {
        try (Fd pidfd = Processes.pidfdOpen(pid)) {
            return namespaceOf(pidfd, socket);
        }
    }

    /** {@code SIOCGSKNS} on a duplicate of the descriptor, once it is known to be the same socket; else null. */
    private static Fd namespaceOf(Fd pidfd, SocketFd socket) {
        return namespaceOf(pidfd, socket, NamespaceFiles::socketNetworkNamespace);
    }

    /**
     * {@code ioctl} on a duplicate of the descriptor only if it is still the socket that was seen ({@code S_ISSOCK},
     * same inode), else null.
     */
    static Fd namespaceOf(Fd pidfd, SocketFd socket, UnaryOperator<Fd> ioctl) {
        try (Fd copy = Processes.pidfdGetfd(pidfd, socket.fd())) {
            FileStat st = RawFiles.stat(copy);
            if (!st.isSocket() || st.inode() != socket.inode()) {
                return null; // swapped since it was stat'ed: never an ioctl on what it is now
            }
            return ioctl.apply(copy);
        }
    }
}
