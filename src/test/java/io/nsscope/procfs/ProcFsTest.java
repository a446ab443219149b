package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nsscope.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

    @TempDir
    Path tmp;

    @Test
    void listsOnlyNumericEntriesInAscendingOrder() throws Exception {
        ProcFs procFs = new ProcFs(Fixtures.copyProc(tmp));
        assertThat(procFs.pids())
                .containsExactly(1, 2, 3, 100, 101, 4242, 4300, 4400, 4500, 5431, 5438, 5741, 5742, 6000, 22755, 22771);
    }

    @Test
    void pidParsingRejectsWhatIsNotAPid() {
        assertThat(ProcFs.parsePid("123")).isEqualTo(123);
        assertThat(ProcFs.parsePid("self")).isEqualTo(-1);
        assertThat(ProcFs.parsePid("1abc")).isEqualTo(-1);
        assertThat(ProcFs.parsePid("99999999999")).isEqualTo(-1);
        assertThat(ProcFs.parsePid("")).isEqualTo(-1);
    }

    @Test
    void readingAFileOfAProcessThatIsGoneIsAVanishedProcess() {
        ProcFs procFs = new ProcFs(Fixtures.copyProc(tmp));
        assertThatThrownBy(() -> procFs.read(77777, "stat")).isInstanceOf(ProcessVanishedException.class);
        assertThatThrownBy(() -> procFs.readLink(77777, "ns/net")).isInstanceOf(ProcessVanishedException.class);
    }

    @Test
    void aMissingFileOfALiveProcessIsNotAVanishedProcess() {
        ProcFs procFs = new ProcFs(Fixtures.copyProc(tmp));
        assertThatThrownBy(() -> procFs.readLink(4500, "ns/net")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void readsLargeFilesWhole() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("proc/7"));
        String big = "a\0".repeat(20_000);
        Files.writeString(root.resolve("cmdline"), big);
        assertThat(new ProcFs(tmp.resolve("proc")).read(7, "cmdline")).isEqualTo(big);
    }

    @Test
    void readsTheRealProcfs() throws Exception {
        ProcFs procFs = new ProcFs(Path.of("/proc"));
        int self = (int) ProcessHandle.current().pid();
        assertThat(procFs.pids()).contains(self);
        assertThat(ProcStat.read(procFs, self).pid()).isEqualTo(self);
        assertThat(ProcStatus.read(procFs, self).tgid()).isEqualTo(self);
    }
}
