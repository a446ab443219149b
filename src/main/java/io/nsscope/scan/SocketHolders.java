package io.nsscope.scan;

import io.nsscope.jna.Errno;
import io.nsscope.jna.Fd;
import io.nsscope.jna.Linux;
import io.nsscope.jna.SyscallException;
import io.nsscope.namespace.Holder;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.procfs.ProcFs;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Network namespaces held by a socket whose process is in another one: every socket descriptor is duplicated into
 * nsscope with {@code pidfd_getfd(2)} (needs ptrace rights over the process) and asked its namespace with
 * {@code SIOCGSKNS}. Costly, so an opt-in source.
 *
 * <p>A process that exits, a descriptor closed meanwhile, or a kernel that refuses (EPERM: no ptrace right; ENOSYS:
 * before Linux 5.6) skips that socket.
 */
final class SocketHolders {

    private static final Set<Errno> SKIP = EnumSet.of(Errno.ESRCH, Errno.EBADF, Errno.EPERM, Errno.EACCES,
            Errno.ENOSYS, Errno.EINVAL, Errno.ENOTTY, Errno.EOPNOTSUPP);

    private SocketHolders() {
    }

    static List<NamespaceRef> read(ProcFs procFs, List<ProcessRead> reads) {
        List<NamespaceRef> refs = new ArrayList<>(0);
        for (ProcessRead read : reads) {
            Long own = read.info().namespace(NamespaceType.NET);
            if (read.socketFds().isEmpty() || own == null) {
                continue;
            }
            try (Fd pidfd = Linux.pidfdOpen(read.info().pid())) {
                for (int fd : read.socketFds()) {
                    Long netns = socketNamespace(pidfd, fd);
                    if (netns != null && !netns.equals(own)) {
                        refs.add(new NamespaceRef(NamespaceType.NET, netns,
                                Holder.fd(Holder.Kind.SOCKET, read.info().pid(), fd), null));
                    }
                }
            } catch (SyscallException e) {
                if (!SKIP.contains(e.errno())) {
                    throw e;
                }
            }
        }
        return refs;
    }

    private static Long socketNamespace(Fd pidfd, int fd) {
        try (Fd socket = Linux.pidfdGetfd(pidfd, fd); Fd netns = Linux.socketNetworkNamespace(socket)) {
            return Linux.inode(netns);
        } catch (SyscallException e) {
            if (SKIP.contains(e.errno())) {
                return null;
            }
            throw e;
        }
    }
}
