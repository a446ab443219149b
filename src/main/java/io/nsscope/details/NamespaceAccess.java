package io.nsscope.details;

import io.nsscope.details.NamespaceDetails.NetInterface;
import io.nsscope.jna.Capabilities.Capability;
import io.nsscope.namespace.NamespaceType;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The reads that need the kernel rather than a file: entering a namespace on a thread of its own, and the nsfs
 * ioctls. {@link SetnsAccess} is the real one; tests of the reading logic stand in for it.
 *
 * <p>Each method takes the namespace file ({@code /proc/<pid>/ns/<type>}) and the inode it must refer to: the file
 * is opened once and checked to be that namespace, so a PID reused by another process is never read.
 */
public interface NamespaceAccess {

    /**
     * Runs {@code task} on a new platform thread that first joins the namespace (setns(2)), and ends with the task:
     * nsscope's other threads stay where they are. Not for user and time namespaces (the kernel refuses those to a
     * multithreaded process).
     *
     * @throws NamespaceChangedException  if the file no longer refers to that namespace
     * @throws MissingCapabilityException if nsscope lacks {@code CAP_SYS_ADMIN}, which setns(2) needs: then no
     *                                    thread is made and no setns(2) tried
     */
    <T> T inside(Path nsFile, NamespaceType type, long inode, Callable<T> task);

    /** The owner UID of a user namespace ({@code NS_GET_OWNER_UID}), in nsscope's user namespace. */
    int ownerUid(Path userNsFile, long inode);

    /**
     * The interfaces of a network namespace, as {@code ip -br addr} shows them inside, over route netlink on a thread
     * that joined it ({@link #inside}, with its exceptions).
     */
    List<NetInterface> interfaces(Path netNsFile, long inode);

    /** nsscope lacks the capability a read needs: it was not tried. */
    final class MissingCapabilityException extends RuntimeException {
        private final Capability capability;

        public MissingCapabilityException(Capability capability, String message) {
            super(message, null, false, false);
            this.capability = capability;
        }

        /** The capability nsscope lacks. */
        public Capability capability() {
            return capability;
        }
    }

    /** The namespace file of a process no longer refers to the expected namespace: the PID was reused or it left. */
    final class NamespaceChangedException extends RuntimeException {
        public NamespaceChangedException(String message) {
            super(message, null, false, false);
        }
    }
}
