package io.nsscope.details;

import io.nsscope.details.NamespaceDetails.NetInterface;
import io.nsscope.jna.Capabilities;
import io.nsscope.jna.Capabilities.Capability;
import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Fd;
import io.nsscope.jna.NamespaceFiles;
import io.nsscope.jna.Namespaces;
import io.nsscope.jna.ThrowawayThread;
import io.nsscope.namespace.NamespaceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@link NamespaceAccess} through {@code setns(2)} on throwaway platform threads ({@link ThrowawayThread}) and the
 * nsfs ioctls. An opened namespace file is checked through {@code /proc/self/fd/N}, whose link names the namespace the
 * descriptor holds ({@code uts:[4026532340]}). {@code setns(2)} needs {@code CAP_SYS_ADMIN} (in nsscope's user
 * namespace and in the one owning the target): without it in the calling thread's effective set ({@code capget(2)}),
 * nothing is tried and {@link MissingCapabilityException} says so, instead of a bare {@code EPERM}.
 */
public final class SetnsAccess implements NamespaceAccess {

    private static final Path SELF_FD = Path.of("/proc/self/fd");

    @Override
    public <T> T inside(Path nsFile, NamespaceType type, long inode, Callable<T> task) {
        if (type == NamespaceType.USER || type == NamespaceType.TIME) {
            throw new IllegalArgumentException(
                    "a multithreaded process cannot join a " + type.kernelName() + " namespace");
        }
        // Opened and checked first: a process that is gone, or a file that is no namespace, says so whatever
        // nsscope's capabilities.
        Fd fd = Descriptors.open(nsFile);
        try {
            check(fd, type, inode);
            if (!Capabilities.has(Capability.CAP_SYS_ADMIN)) {
                throw new MissingCapabilityException(
                        Capability.CAP_SYS_ADMIN, "Joining a " + type.kernelName() + " namespace (setns(2))");
            }
            return ThrowawayThread.call("nsscope-details-" + type.kernelName(), () -> {
                Namespaces.setns(fd, type.cloneFlag());
                return task.call();
            });
        } finally {
            fd.close();
        }
    }

    @Override
    public int ownerUid(Path userNsFile, long inode) {
        try (Fd fd = Descriptors.open(userNsFile)) {
            check(fd, NamespaceType.USER, inode);
            return NamespaceFiles.ownerUid(fd);
        }
    }

    @Override
    public List<NetInterface> interfaces(Path netNsFile, long inode) {
        return inside(netNsFile, NamespaceType.NET, inode, RtNetlink::dump);
    }

    private static void check(Fd fd, NamespaceType type, long inode) {
        String expected = type.kernelName() + ":[" + inode + "]";
        String actual;
        try {
            actual = Files.readSymbolicLink(SELF_FD.resolve(Integer.toString(fd.value())))
                    .toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!actual.equals(expected)) {
            throw new NamespaceAccess.NamespaceChangedException("opened " + actual + ", expected " + expected);
        }
    }
}
