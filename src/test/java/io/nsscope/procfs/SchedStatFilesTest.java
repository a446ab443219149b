package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counters files held open between scans, on the real procfs, and read by path on anything else. */
class SchedStatFilesTest {

    private static final ProcFs PROC = new ProcFs(Path.of("/proc"));

    @TempDir
    Path tmp;

    @Test
    void theFilesOfARealProcfsAreHeldAndReadAgain() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        try (SchedStatFiles files = SchedStatFiles.of(PROC)) {
            SchedStat first = files.read(self);
            assertThat(files.held()).isEqualTo(1);
            long spin = System.nanoTime() + 20_000_000;
            while (System.nanoTime() < spin) {
                Thread.onSpinWait();
            }
            SchedStat again = files.read(self);
            assertThat(files.held()).isEqualTo(1);
            assertThat(Long.compareUnsigned(again.runtime(), first.runtime())).isNotNegative();
            assertThat(again.timeslices()).isGreaterThanOrEqualTo(first.timeslices());
        }
    }

    @Test
    void aProcessThatWentIsVanishedAndItsFileClosed() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try (SchedStatFiles files = SchedStatFiles.of(PROC)) {
            int pid = (int) sleep.pid();
            assertThat(files.read(pid).counts()).isTrue();
            assertThat(files.held()).isEqualTo(1);
            sleep.destroyForcibly().waitFor(); // reaped: the held file fails with ESRCH, the path with ENOENT
            assertThatThrownBy(() -> files.read(pid)).isInstanceOf(ProcessVanishedException.class);
            assertThat(files.held()).isZero();
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void aFileNotReadForAWholeScanIsClosedByTheSweep() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        long tid = Long.parseLong(
                Path.of("/proc/thread-self").toRealPath().getFileName().toString());
        try (SchedStatFiles files = SchedStatFiles.of(PROC)) {
            files.read(self);
            files.readTask(self, (int) tid);
            assertThat(files.held()).isEqualTo(2);
            files.sweep(); // both were read in this round
            assertThat(files.held()).isEqualTo(2);
            files.read(self);
            files.sweep(); // the thread's was not
            assertThat(files.held()).isEqualTo(1);
        }
    }

    @Test
    void noMoreThanTheCapacityIsHeldAndCloseReleasesThem() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        SchedStatFiles files = new SchedStatFiles(PROC, 1);
        files.read(self);
        files.read(1);
        assertThat(files.held()).isEqualTo(1);
        assertThat(files.read(1).counts()).isTrue(); // read by path
        files.close();
        assertThat(files.held()).isZero();
        assertThat(files.read(self).counts()).isTrue(); // by path once closed
        assertThat(files.held()).isZero();
    }

    @Test
    void instancesSharingTheProcesssBoundHoldNoMoreThanItTogether() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        SchedStatFiles.Budget budget = new SchedStatFiles.Budget(1);
        SchedStatFiles first = new SchedStatFiles(PROC, 10, budget);
        SchedStatFiles second = new SchedStatFiles(PROC, 10, budget);
        try {
            first.read(self);
            assertThat(second.read(self).counts()).isTrue(); // by path: the bound is taken
            assertThat(first.held()).isEqualTo(1);
            assertThat(second.held()).isZero();
            first.close();
            second.read(self);
            assertThat(second.held()).isEqualTo(1); // what the first gave back
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void aFixtureTreeIsReadByPathEachTime() throws Exception {
        Path stat = Files.createDirectories(tmp.resolve("42")).resolve("schedstat");
        Files.writeString(stat, "100 5 2\n");
        try (SchedStatFiles files = SchedStatFiles.of(new ProcFs(tmp))) {
            assertThat(files.read(42)).isEqualTo(new SchedStat(100, 5, 2));
            Path replacement = Files.writeString(tmp.resolve("new"), "200 5 3\n");
            Files.move(replacement, stat, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(files.read(42)).isEqualTo(new SchedStat(200, 5, 3));
            assertThat(files.held()).isZero();
        }
    }

    @Test
    void nsscopesOwnHeldDescriptorsAreKnownAsSuch() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        SchedStatFiles files = SchedStatFiles.of(PROC);
        files.read(self);
        int heldFd = -1;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("/proc/" + self + "/schedstat")) {
                        heldFd = Integer.parseInt(fd.getFileName().toString());
                    }
                } catch (java.io.IOException e) {
                    // the listing's own descriptor, closed since
                }
            }
        }
        assertThat(heldFd).isNotNegative();
        assertThat(files.heldBy(self, heldFd)).isTrue();
        assertThat(files.heldBy(self, 0)).isFalse(); // stdin: not one of them
        assertThat(files.heldBy(1, heldFd)).isFalse(); // the same number in another process
        files.close();
        assertThat(files.heldBy(self, heldFd)).isFalse();
    }
}
