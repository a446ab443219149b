package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nsscope.procfs.TimensOffsets.Offset;
import org.junit.jupiter.api.Test;

class TimensOffsetsTest {

    @Test
    void parsesNamedClocks() {
        // After unshare -T --monotonic 86400 --boottime -3600.5 (Linux 6.x).
        TimensOffsets o = TimensOffsets.parse("monotonic       86400         0\nboottime        -3601 500000000\n");
        assertThat(o.monotonic()).isEqualTo(new Offset(86400, 0));
        assertThat(o.boottime()).isEqualTo(new Offset(-3601, 500000000));
    }

    @Test
    void parsesClockIdsAndDefaultsToZero() {
        TimensOffsets o = TimensOffsets.parse("1 5 0\n");
        assertThat(o.monotonic()).isEqualTo(new Offset(5, 0));
        assertThat(o.boottime()).isEqualTo(Offset.ZERO);
    }

    @Test
    void rejectsAnUnknownClock() {
        assertThatThrownBy(() -> TimensOffsets.parse("realtime 1 0\n")).isInstanceOf(IllegalArgumentException.class);
    }
}
