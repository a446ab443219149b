package io.nsscope.jna;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spawning, waiting and signalling through pidfds against the running kernel, as any user. */
class PosixSpawnTest {

    @Test
    void spawnWaitAndKillThroughPidfds() {
        int pid = PosixSpawn.run("/bin/sh", List.of("sh", "-c", "exit 3"), List.of("PATH=/usr/bin:/bin"));
        try (Fd pidfd = Processes.pidfdOpen(pid)) {
            assertThat(Processes.waitExit(pidfd, true)).isEqualTo(new ExitStatus(3, null));
        }
        int sleeper = PosixSpawn.run("/bin/sleep", List.of("sleep", "60"), List.of());
        try (Fd pidfd = Processes.pidfdOpen(sleeper)) {
            assertThat(Processes.waitExit(pidfd, false)).isNull();
            Processes.pidfdSendSignal(pidfd, Processes.SIGKILL);
            assertThat(Processes.waitExit(pidfd, true)).isEqualTo(new ExitStatus(null, Processes.SIGKILL));
        }
        assertThat(Path.of("/proc/" + sleeper)).doesNotExist();
    }

    @Test
    void spawnedChildGetsOnlyTheGivenEnvironmentAndDescriptors() {
        Fd[] out = Descriptors.pipe();
        int pid;
        try (Fd write = out[1]) {
            pid = PosixSpawn.run(
                    "/bin/sh",
                    List.of("sh", "-c", "echo \"$K\"; env | wc -l; ls /proc/self/fd | wc -l"),
                    List.of("K=v"),
                    write.value(),
                    1);
        }
        StringBuilder text = new StringBuilder();
        try (Fd read = out[0];
                Fd pidfd = Processes.pidfdOpen(pid)) {
            byte[] buf = new byte[256];
            for (int n; (n = Descriptors.read(read, buf)) > 0; ) {
                text.append(new String(buf, 0, n));
            }
            assertThat(Processes.waitExit(pidfd, true).exitCode()).isZero();
        }
        // K plus what sh itself exports (PWD, SHLVL, _); fds 0..2 plus the one ls opens
        String[] lines = text.toString().trim().split("\n");
        assertThat(lines[0]).isEqualTo("v");
        assertThat(Integer.parseInt(lines[1].trim())).isLessThanOrEqualTo(4);
        assertThat(Integer.parseInt(lines[2].trim())).isLessThanOrEqualTo(4);
    }
}
