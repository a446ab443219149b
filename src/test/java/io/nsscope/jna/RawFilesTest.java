package io.nsscope.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The C library's file calls against the running kernel: contents, links, stats, listings, and errno. */
class RawFilesTest {

    @TempDir
    Path tmp;

    @Test
    void readsAWholeFileLargerThanTheBuffer() throws Exception {
        String big = "0123456789abcdef".repeat(10_000) + "é";
        Path file = Files.writeString(tmp.resolve("big"), big);
        assertThat(RawFiles.read(file.toString())).isEqualTo(big);
        assertThat(RawFiles.read("/proc/self/stat"))
                .startsWith(ProcessHandle.current().pid() + " (");
    }

    @Test
    void readsLinksAndListsDirectories() throws Exception {
        assertThat(RawFiles.readLink("/proc/self/ns/net"))
                .isEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
        for (int i = 0; i < 300; i++) {
            Files.createFile(tmp.resolve("f" + i));
        }
        assertThat(RawFiles.list(tmp.toString()))
                .hasSize(300)
                .contains("f0", "f299")
                .doesNotContain(".", "..");
        Files.createFile(tmp.resolve(".a"));
        Files.createFile(tmp.resolve("..b"));
        Files.createFile(tmp.resolve("é"));
        assertThat(RawFiles.list(tmp.toString())).hasSize(303).contains(".a", "..b", "é");
    }

    @Test
    void namespaceFilesShareTheNsfsDeviceAndTheirInodeIsTheNamespace() throws Exception {
        FileStat user = RawFiles.stat("/proc/self/ns/user");
        FileStat net = RawFiles.stat("/proc/self/ns/net");
        assertThat(net.device())
                .isEqualTo(user.device())
                .isNotEqualTo(RawFiles.stat(tmp.toString()).device());
        assertThat("net:[" + net.inode() + "]").isEqualTo(RawFiles.readLink("/proc/self/ns/net"));
        assertThat(RawFiles.stat("/proc/self").isDirectory()).isTrue();
        assertThat(RawFiles.stat("/proc/self").uid())
                .isEqualTo((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    @Test
    void aDescriptorIsStatedAsWhatItIs() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                FileChannel file = FileChannel.open(Files.createFile(tmp.resolve("plain")), StandardOpenOption.READ)) {
            int sockets = 0;
            int regular = 0;
            for (String fd : RawFiles.list("/proc/self/fd")) {
                String path = "/proc/self/fd/" + fd;
                String target;
                try {
                    target = RawFiles.readLink(path);
                } catch (SyscallException e) {
                    continue; // the listing's own descriptor, closed since
                }
                if (target.startsWith("socket:[")) {
                    FileStat st = RawFiles.stat(path);
                    assertThat(st.isSocket()).as(target).isTrue();
                    assertThat("socket:[" + st.inode() + "]").isEqualTo(target);
                    sockets++;
                } else if (target.equals(tmp.resolve("plain").toString())) {
                    assertThat(RawFiles.stat(path).isSocket()).isFalse();
                    regular++;
                }
            }
            assertThat(sockets).isPositive();
            assertThat(regular).isEqualTo(1);
        }
    }

    @Test
    void aFailureCarriesTheErrnoOfTheCall() throws Exception {
        assertThatThrownBy(() -> RawFiles.read(tmp.resolve("missing").toString()))
                .isInstanceOfSatisfying(SyscallException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.syscall()).isEqualTo("open");
                });
        assertThatThrownBy(() -> RawFiles.readLink(
                        Files.createFile(tmp.resolve("not-a-link")).toString()))
                .isInstanceOfSatisfying(
                        SyscallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        Files.createDirectory(tmp.resolve("dir"));
        assertThatThrownBy(() -> RawFiles.read(tmp.resolve("dir").toString()))
                .isInstanceOfSatisfying(
                        SyscallException.class, e -> assertThat(e.code()).isEqualTo(21)); // EISDIR
    }

    @Test
    void anOpenFileIsReadFromItsStartAgainAndAgain() throws Exception {
        String big = "0123456789abcdef".repeat(3_000); // more than the first buffer holds
        Path file = Files.writeString(tmp.resolve("again"), big);
        try (Fd fd = RawFiles.openForReading(file.toString())) {
            assertThat(RawFiles.readFromStart(fd)).isEqualTo(big);
            Files.writeString(file, "short\n"); // rewritten in place: the same file
            assertThat(RawFiles.readFromStart(fd)).isEqualTo("short\n");
        }
    }

    @Test
    void aProcfsRecordIsWrittenAgainAtEachReadFromTheStart() throws Exception {
        try (Fd fd = RawFiles.openForReading("/proc/thread-self/schedstat")) {
            String first = RawFiles.readFromStart(fd);
            assertThat(first).matches("[0-9]+ [0-9]+ [0-9]+\n");
            long spin = System.nanoTime() + 20_000_000;
            while (System.nanoTime() < spin) {
                Thread.onSpinWait();
            }
            Thread.sleep(5); // off the CPU: the runtime is brought up to date
            String second = RawFiles.readFromStart(fd);
            assertThat(second).matches("[0-9]+ [0-9]+ [0-9]+\n");
            org.junit.jupiter.api.Assumptions.assumeFalse(second.equals("0 0 0\n"), "no scheduler counters here");
            assertThat(second).isNotEqualTo(first); // read anew, not the first answer again
        }
    }

    @Test
    void theFileOfAProcessThatWasReapedFailsWithEsrch() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try (Fd fd = RawFiles.openForReading("/proc/" + sleep.pid() + "/schedstat")) {
            assertThat(RawFiles.readFromStart(fd)).matches("[0-9]+ [0-9]+ [0-9]+\n");
            sleep.destroyForcibly().waitFor();
            assertThatThrownBy(() -> RawFiles.readFromStart(fd))
                    .isInstanceOfSatisfying(
                            SyscallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH));
        } finally {
            sleep.destroyForcibly();
        }
    }
}
