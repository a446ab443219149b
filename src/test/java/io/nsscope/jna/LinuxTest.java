package io.nsscope.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binding against the running kernel, as any user (what needs root: {@link LinuxLiveIT}). */
class LinuxTest {

    private static String link(String path) throws Exception {
        return Files.readSymbolicLink(Path.of(path)).toString();
    }

    private static String fdTarget(Fd fd) throws Exception {
        return link("/proc/self/fd/" + fd.value());
    }

    @Test
    void nsfsIoctlsNameTypeOwnerAndOwnerUid() throws Exception {
        try (Fd net = Linux.open(Path.of("/proc/self/ns/net"));
                Fd owner = Linux.owningUserNamespace(net)) {
            assertThat(Linux.namespaceType(net)).isEqualTo(Linux.CLONE_NEWNET);
            assertThat(fdTarget(owner)).isEqualTo(link("/proc/self/ns/user"));
            assertThat(Linux.namespaceType(owner)).isEqualTo(Linux.CLONE_NEWUSER);
        }
        try (Fd user = Linux.open(Path.of("/proc/1/ns/user"))) {
            assertThat(Linux.ownerUid(user)).isZero(); // the initial user namespace belongs to root
        } catch (SyscallException e) {
            assertThat(e.errno()).isEqualTo(Errno.EACCES); // not root: /proc/1/ns is not ours to open
        }
    }

    @Test
    void inodeOfANamespaceFile() throws Exception {
        try (Fd net = Linux.open(Path.of("/proc/self/ns/net"))) {
            assertThat("net:[" + Linux.inode(net) + "]").isEqualTo(link("/proc/self/ns/net"));
        }
    }

    @Test
    void errnoBecomesANamedCondition() {
        assertThatThrownBy(() -> Linux.open(Path.of("/proc/self/ns/no-such-type")))
                .isInstanceOfSatisfying(SyscallException.class, e -> {
                    assertThat(e.syscall()).isEqualTo("open");
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.code()).isEqualTo(2);
                });
        assumeTrue(isInitialUserNamespace(), "needs the initial user namespace");
        try (Fd user = Linux.open(Path.of("/proc/self/ns/user"))) {
            // the initial user namespace has no parent (EPERM, as for one outside the caller's)
            assertThatThrownBy(() -> Linux.parentNamespace(user)).isInstanceOfSatisfying(SyscallException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
        }
    }

    @Test
    void spawnWaitAndKillThroughPidfds() {
        int pid = Linux.spawn("/bin/sh", List.of("sh", "-c", "exit 3"), List.of("PATH=/usr/bin:/bin"));
        try (Fd pidfd = Linux.pidfdOpen(pid)) {
            assertThat(Linux.waitExit(pidfd, true)).isEqualTo(new ExitStatus(3, null));
        }
        int sleeper = Linux.spawn("/bin/sleep", List.of("sleep", "60"), List.of());
        try (Fd pidfd = Linux.pidfdOpen(sleeper)) {
            assertThat(Linux.waitExit(pidfd, false)).isNull();
            Linux.pidfdSendSignal(pidfd, Linux.SIGKILL);
            assertThat(Linux.waitExit(pidfd, true)).isEqualTo(new ExitStatus(null, Linux.SIGKILL));
        }
        assertThat(Path.of("/proc/" + sleeper)).doesNotExist();
    }

    @Test
    void spawnedChildGetsOnlyTheGivenEnvironmentAndDescriptors() throws Exception {
        Fd[] out = Linux.pipe();
        int pid;
        try (Fd write = out[1]) {
            pid = Linux.spawn("/bin/sh", List.of("sh", "-c", "echo \"$K\"; env | wc -l; ls /proc/self/fd | wc -l"),
                    List.of("K=v"), write.value(), 1);
        }
        StringBuilder text = new StringBuilder();
        try (Fd read = out[0]; Fd pidfd = Linux.pidfdOpen(pid)) {
            byte[] buf = new byte[256];
            for (int n; (n = Linux.read(read, buf)) > 0; ) {
                text.append(new String(buf, 0, n));
            }
            assertThat(Linux.waitExit(pidfd, true).exitCode()).isZero();
        }
        // K plus what sh itself exports (PWD, SHLVL, _); fds 0..2 plus the one ls opens
        String[] lines = text.toString().trim().split("\n");
        assertThat(lines[0]).isEqualTo("v");
        assertThat(Integer.parseInt(lines[1].trim())).isLessThanOrEqualTo(4);
        assertThat(Integer.parseInt(lines[2].trim())).isLessThanOrEqualTo(4);
    }

    @Test
    void statusSaysTypeModeAndOwnerOfTheOpenFile() throws Exception {
        try (Fd ls = Linux.openPath(Path.of("/bin/sh")); Fd dir = Linux.openPath(Path.of("/proc/self"))) {
            FileStatus sh = Linux.status(ls);
            assertThat(sh.isRegularFile()).isTrue();
            assertThat(sh.isSocket()).isFalse();
            assertThat(sh.inode()).isEqualTo(Files.getAttribute(Path.of("/bin/sh"), "unix:ino"));
            assertThat(sh.uid()).isEqualTo(((Number) Files.getAttribute(Path.of("/bin/sh"), "unix:uid")).longValue());
            assertThat(sh.permissions()).isEqualTo(((Number) Files.getAttribute(Path.of("/bin/sh"), "unix:mode"))
                    .intValue() & 07777);
            assertThat(Linux.status(dir).isRegularFile()).isFalse();
        }
        try (Fd netlink = Linux.routeNetlink()) {
            assertThat(Linux.status(netlink).isSocket()).isTrue();
        }
    }

    @Test
    void aKernelFileWriteFailsWithTheErrnoOfTheCallNotAMessage() {
        // the kernel refuses a non-number in oom_score_adj with EINVAL; any user may try on its own process
        assertThatThrownBy(() -> Linux.writeFile(Path.of("/proc/self/oom_score_adj"),
                "not a number".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "write(oom_score_adj)"))
                .isInstanceOfSatisfying(SyscallException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                    assertThat(e.syscall()).isEqualTo("write(oom_score_adj)");
                });
        assertThatThrownBy(() -> Linux.writeFile(Path.of("/proc/self/no-such-file"), new byte[1], "write(x)"))
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }

    @Test
    void throwawayThreadRethrowsTheTasksFailure() {
        assertThatThrownBy(() -> ThrowawayThread.call("t", () -> {
            throw new SyscallException("setns", 1);
        })).isInstanceOf(SyscallException.class).hasMessageContaining("EPERM");
    }

    private static boolean isInitialUserNamespace() {
        try {
            return Files.readString(Path.of("/proc/self/uid_map")).trim().matches("0\\s+0\\s+4294967295");
        } catch (Exception e) {
            return false;
        }
    }
}
