package io.nsscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the command of a sandbox sees, against the live kernel, as root (skipped otherwise): none of nsscope's mounts
 * and a {@code /tmp} of its own in its mount namespace, and its own cgroup leaf as the root of its cgroup namespace.
 */
class SandboxViewLiveIT {

    @BeforeEach
    void root() {
        assumeTrue(Sandboxes.isRoot(), "sandboxes need root");
    }

    @Test
    void aSandboxsMountNamespaceShowsNoneOfNsscopesMountsAndTmpIsItsOwn() throws Exception {
        Path hostProc = Files.createTempDirectory(Path.of("/run"), "nsscope-test-hostproc");
        assertThat(new ProcessBuilder("/bin/mount", "--bind", "/proc", hostProc.toString())
                        .start()
                        .waitFor())
                .isZero();
        Path marker =
                Path.of("/tmp/nsscope-test-visible-" + ProcessHandle.current().pid());
        Files.writeString(marker, "nsscope's");
        SandboxService service = Sandboxes.service(
                "nsscope.sandbox.uid-pool=311950-311959",
                "nsscope.procfs.root=" + hostProc,
                Sandboxes.cgroupParent("hide"));
        try {
            Sandbox s = service.create(Sandboxes.spec(
                    Sandboxes.types("pid", "mnt"),
                    "/bin/sh",
                    "-c",
                    "cat /proc/self/mountinfo; ls -a /tmp; echo /tmp: $(stat -f -c %T /tmp)"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> service.get(s.id()).state() != SandboxState.RUNNING);
            List<String> out = service.logs(s.id()).lines().toList();
            assertThat(out).noneMatch(l -> l.contains(hostProc.toString()));
            assertThat(out).noneMatch(l -> l.contains(marker.getFileName().toString()));
            assertThat(out).contains("/tmp: tmpfs");
        } finally {
            service.close();
            new ProcessBuilder("/bin/umount", hostProc.toString()).start().waitFor();
            Files.deleteIfExists(hostProc);
            Files.deleteIfExists(marker);
        }
    }

    @Test
    void aCgroupNamespaceIsRootedAtTheSandboxsOwnLeaf() throws Exception {
        SandboxService service =
                Sandboxes.service("nsscope.sandbox.uid-pool=311960-311969", Sandboxes.cgroupParent("cgroupns"));
        assumeTrue(service.cgroupsUnusable() == null, "needs a writable cgroup v2 hierarchy");
        try {
            Sandbox s =
                    service.create(Sandboxes.spec(Sandboxes.types("pid", "cgroup"), "/bin/cat", "/proc/self/cgroup"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> service.get(s.id()).state() != SandboxState.RUNNING);
            assertThat(service.logs(s.id()).lines()).contains("0::/");
            assertThat(service.get(s.id()).exitCode()).isZero();
        } finally {
            service.close();
        }
    }
}
