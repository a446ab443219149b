package io.nsscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.nsscope.jna.Fd;
import io.nsscope.jna.Processes;
import io.nsscope.procfs.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The errnos {@link Reaping} expects from a process that is gone (ESRCH) or a pidfd already closed (EBADF), on the live
 * kernel with a child of the test's own (no root needed): they mean "not alive" and "nothing left to kill", never an
 * exception that would abort a sandbox's teardown.
 */
class ReapingTest {

    @Test
    void aRunningProcessIsAliveAndOneThatExitedIsNot() throws Exception {
        Process child = new ProcessBuilder("sleep", "600").start();
        try (Fd pidfd = Processes.pidfdOpen((int) child.pid())) {
            assertThat(Reaping.alive(pidfd)).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Reaping.alive(pidfd)).as("ESRCH: exited and reaped").isFalse();
            assertThatCode(() -> Reaping.killQuietly(pidfd)).doesNotThrowAnyException();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aClosedPidfdIsNotAliveAndKillingThroughItIsQuiet() throws Exception {
        Process child = new ProcessBuilder("sleep", "600").start();
        try {
            Fd pidfd = Processes.pidfdOpen((int) child.pid());
            pidfd.close();
            assertThat(Reaping.alive(pidfd)).as("EBADF: the pidfd is closed").isFalse();
            assertThatCode(() -> Reaping.killQuietly(pidfd)).doesNotThrowAnyException();
            assertThat(child.isAlive())
                    .as("nothing was killed through a closed pidfd")
                    .isTrue();
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void killQuietlyKillsALiveProcess() throws Exception {
        Process child = new ProcessBuilder("sleep", "600").start();
        try (Fd pidfd = Processes.pidfdOpen((int) child.pid())) {
            Reaping.killQuietly(pidfd);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + Processes.SIGKILL);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anEmptyProcessGroupIsQuietAndAProcessThatWentHasNoMark(CapturedOutput output) throws Exception {
        Process child = new ProcessBuilder("sleep", "600").start();
        int pid = (int) child.pid();
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        // A group no process can be in (past pid_max, so never a PID reused meanwhile): ESRCH, nothing thrown.
        int noGroup = Integer.parseInt(
                        Files.readString(Path.of("/proc/sys/kernel/pid_max")).trim())
                + 1;
        assertThatCode(() -> Reaping.killGroupQuietly(noGroup)).doesNotThrowAnyException();
        assertThat(output.getAll()).as("ESRCH is expected, not logged").doesNotContain("could not kill process group");
        assertThat(Reaping.markOf(new ProcFs(Path.of("/proc")), pid)).isNull();
    }
}
