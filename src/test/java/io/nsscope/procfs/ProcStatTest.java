package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatTest {

    private static final String TAIL = " 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0";

    @Test
    void parsesAnOrdinaryLine() {
        ProcStat stat = ProcStat.parse("5438 (init) S 5431 5438 5438 0 -1 4194560 1410 0 0 0 4 2 0 0 20 0 1 0 123456"
                + " 175939584 2882" + TAIL + "\n");
        assertThat(stat).isEqualTo(new ProcStat(5438, "init", 'S', 5431, 4194560L, 1, 123456L));
        assertThat(stat.isKernelThread()).isFalse();
    }

    @Test
    void commEndsAtTheLastParenthesisEvenWithSpacesAndParenthesesInside() {
        ProcStat stat =
                ProcStat.parse("4242 (a) b (c) R 100 4242 4242 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 77 0 0" + TAIL);
        assertThat(stat.comm()).isEqualTo("a) b (c");
        assertThat(stat.state()).isEqualTo('R');
        assertThat(stat.ppid()).isEqualTo(100);
        assertThat(stat.startTime()).isEqualTo(77L);
        assertThat(stat.threads()).isEqualTo(1);
    }

    @Test
    void recognisesKernelThreadsByPfKthread() {
        ProcStat stat = ProcStat.parse("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0" + TAIL);
        assertThat(stat.isKernelThread()).isTrue();
        assertThat(stat.ppid()).isZero();
    }

    @Test
    void emptyComm() {
        assertThat(ProcStat.parse("9 () S 1 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0" + TAIL)
                        .comm())
                .isEmpty();
    }

    @Test
    void rejectsTextThatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcStat.parse("garbage")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcStat.parse("1 (init) S 0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void theLastFieldItKeepsMayEndTheLine() {
        // 22 fields: the start time (field 22) is the last, followed only by the newline
        assertThat(ProcStat.parse("7 (sh) S 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 3 0 987654321\n"))
                .isEqualTo(new ProcStat(7, "sh", 'S', 1, 0L, 3, 987654321L));
    }

    @Test
    void rejectsAFieldThatIsNotANumberOrIsEmpty() {
        assertThatThrownBy(() -> ProcStat.parse("7 (sh) S x 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 3 0 98" + TAIL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcStat.parse("7 (sh) S  1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 3 0 98" + TAIL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcStat.parse("7 (sh) S 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 3 0 98x" + TAIL))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
