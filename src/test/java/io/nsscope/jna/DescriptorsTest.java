package io.nsscope.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Opening, stating, reading and writing descriptors against the running kernel, as any user. */
class DescriptorsTest {

    @Test
    void inodeOfANamespaceFile() throws Exception {
        try (Fd net = Descriptors.open(Path.of("/proc/self/ns/net"))) {
            assertThat("net:[" + Descriptors.inode(net) + "]").isEqualTo(NamespaceFilesTest.link("/proc/self/ns/net"));
        }
    }

    @Test
    void errnoBecomesANamedCondition() {
        assertThatThrownBy(() -> Descriptors.open(Path.of("/proc/self/ns/no-such-type")))
                .isInstanceOfSatisfying(SyscallException.class, e -> {
                    assertThat(e.syscall()).isEqualTo("open");
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.code()).isEqualTo(2);
                });
    }

    @Test
    void statusSaysTypeModeAndOwnerOfTheOpenFile() throws Exception {
        try (Fd ls = Descriptors.openPath(Path.of("/bin/sh"));
                Fd dir = Descriptors.openPath(Path.of("/proc/self"))) {
            FileStatus sh = Descriptors.status(ls);
            assertThat(sh.isRegularFile()).isTrue();
            assertThat(sh.isSocket()).isFalse();
            assertThat(sh.inode()).isEqualTo(Files.getAttribute(Path.of("/bin/sh"), "unix:ino"));
            assertThat(sh.uid()).isEqualTo(((Number) Files.getAttribute(Path.of("/bin/sh"), "unix:uid")).longValue());
            assertThat(sh.permissions())
                    .isEqualTo(((Number) Files.getAttribute(Path.of("/bin/sh"), "unix:mode")).intValue() & 07777);
            assertThat(Descriptors.status(dir).isRegularFile()).isFalse();
        }
        try (Fd netlink = RouteNetlink.open()) {
            assertThat(Descriptors.status(netlink).isSocket()).isTrue();
        }
    }

    @Test
    void aPipeCarriesWhatIsWrittenAndEndsWhenTheWriterCloses() {
        Fd[] pipe = Descriptors.pipe();
        try (Fd read = pipe[0]) {
            try (Fd write = pipe[1]) {
                assertThat(Descriptors.write(write, "ns".getBytes(StandardCharsets.US_ASCII)))
                        .isEqualTo(2);
            }
            byte[] buffer = new byte[8];
            assertThat(Descriptors.read(read, buffer)).isEqualTo(2);
            assertThat(new String(buffer, 0, 2, StandardCharsets.US_ASCII)).isEqualTo("ns");
            assertThat(Descriptors.read(read, buffer)).isZero();
        }
    }

    @Test
    void aKernelFileWriteFailsWithTheErrnoOfTheCallNotAMessage() {
        // the kernel refuses a non-number in oom_score_adj with EINVAL; any user may try on its own process
        assertThatThrownBy(() -> Descriptors.writeFile(
                        Path.of("/proc/self/oom_score_adj"),
                        "not a number".getBytes(StandardCharsets.US_ASCII),
                        "write(oom_score_adj)"))
                .isInstanceOfSatisfying(SyscallException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                    assertThat(e.syscall()).isEqualTo("write(oom_score_adj)");
                });
        assertThatThrownBy(() -> Descriptors.writeFile(Path.of("/proc/self/no-such-file"), new byte[1], "write(x)"))
                .isInstanceOfSatisfying(
                        SyscallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }
}
