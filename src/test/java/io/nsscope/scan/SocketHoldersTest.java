package io.nsscope.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Fd;
import io.nsscope.jna.FileStat;
import io.nsscope.jna.NamespaceFiles;
import io.nsscope.jna.Processes;
import io.nsscope.jna.RawFiles;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket source makes its ioctl only on the socket it saw: the descriptor duplicated with {@code pidfd_getfd}
 * must still be a socket ({@code S_ISSOCK}) with the inode seen when the table was read. Between the two, the process
 * may have put anything under that number, a FUSE file on which an ioctl could block the scan for good. Shown on this
 * JVM's own descriptors, with the ioctl recorded rather than made.
 */
class SocketHoldersTest {

    @TempDir
    Path tmp;

    @Test
    void theIoctlIsMadeOnlyOnTheSameSocket() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                ServerSocketChannel other = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                FileChannel file = FileChannel.open(Files.createFile(tmp.resolve("plain")), StandardOpenOption.READ);
                Fd self = Processes.pidfdOpen((int) ProcessHandle.current().pid())) {
            int socketFd = fdWhere(st -> st.isSocket()).orElseThrow();
            long socketInode = RawFiles.stat("/proc/self/fd/" + socketFd).inode();
            int fileFd = fdWhere(st -> !st.isSocket() && st.inode() == inode(tmp.resolve("plain")))
                    .orElseThrow();
            List<Integer> ioctls = new ArrayList<>();
            UnaryOperator<Fd> recorder = fd -> {
                ioctls.add(fd.value());
                return null;
            };

            // a regular file where a socket was seen, even with the socket's inode number: no ioctl
            assertThat(SocketHolders.namespaceOf(self, new SocketFd(fileFd, inode(tmp.resolve("plain"))), recorder))
                    .isNull();
            // another socket under the number: no ioctl
            assertThat(SocketHolders.namespaceOf(self, new SocketFd(socketFd, socketInode + 1), recorder))
                    .isNull();
            assertThat(ioctls).isEmpty();
            // the socket that was seen: asked, and SIOCGSKNS names this JVM's network namespace
            assertThat(SocketHolders.namespaceOf(self, new SocketFd(socketFd, socketInode), recorder))
                    .isNull();
            assertThat(ioctls).hasSize(1);
            assumeTrue(
                    "root".equals(System.getProperty("user.name")),
                    "SIOCGSKNS needs CAP_NET_ADMIN over the socket's network namespace");
            try (Fd netns = SocketHolders.namespaceOf(
                    self, new SocketFd(socketFd, socketInode), NamespaceFiles::socketNetworkNamespace)) {
                assertThat(Descriptors.inode(netns))
                        .isEqualTo(RawFiles.stat("/proc/self/ns/net").inode());
            }
        }
    }

    private static long inode(Path file) {
        return RawFiles.stat(file.toString()).inode();
    }

    /** The lowest descriptor of this JVM whose open file matches. */
    private static OptionalInt fdWhere(java.util.function.Predicate<FileStat> test) {
        return RawFiles.list("/proc/self/fd").stream()
                .mapToInt(Integer::parseInt)
                .sorted()
                .filter(fd -> {
                    try {
                        return test.test(RawFiles.stat("/proc/self/fd/" + fd));
                    } catch (RuntimeException e) {
                        return false; // the listing's own descriptor, closed since
                    }
                })
                .findFirst();
    }
}
