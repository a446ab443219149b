package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SchedStatTest {

    @Test
    void parsesTheThreeCounters() {
        assertThat(SchedStat.parse("3210417 72999 17\n")).isEqualTo(new SchedStat(3210417L, 72999L, 17L));
        assertThat(SchedStat.parse("1 0 1")).isEqualTo(new SchedStat(1, 0, 1));
    }

    @Test
    void keepsTheBitsOfAnUnsigned64BitCounter() {
        SchedStat max = SchedStat.parse("18446744073709551615 0 1\n");
        assertThat(Long.toUnsignedString(max.runtime())).isEqualTo("18446744073709551615");
    }

    @Test
    void zerosSayNothing() {
        assertThat(SchedStat.parse("0 0 0\n").counts()).isFalse();
        assertThat(SchedStat.parse("0 5 1\n").counts()).isTrue();
        assertThat(SchedStat.parse("12 0 0\n").counts()).isTrue();
    }

    @Test
    void rejectsAnythingElse() {
        for (String bad :
                new String[] {"", "\n", "1 2", "1 2 x", "1  2 3", "-1 2 3", "1 2 3 4", "123456789012345678901 0 0"}) {
            assertThatThrownBy(() -> SchedStat.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theKernelCountsThisThreadsRuns() throws Exception {
        ProcFs proc = new ProcFs(Path.of("/proc"));
        int self = (int) ProcessHandle.current().pid();
        SchedStat before = SchedStat.read(proc, self);
        long tid = Long.parseLong(
                Path.of("/proc/thread-self").toRealPath().getFileName().toString());
        SchedStat mine = SchedStat.readTask(proc, self, (int) tid);
        long spin = System.nanoTime() + 20_000_000;
        while (System.nanoTime() < spin) {
            Thread.onSpinWait();
        }
        Thread.sleep(5);
        SchedStat after = SchedStat.readTask(proc, self, (int) tid);
        org.junit.jupiter.api.Assumptions.assumeTrue(after.counts(), "this kernel keeps no scheduler counters");
        assertThat(after.runtime()).isGreaterThan(mine.runtime());
        assertThat(after.timeslices()).isGreaterThan(mine.timeslices());
        assertThat(before.counts()).isTrue(); // the process's first thread ran once at least
    }
}
