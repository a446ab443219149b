package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nsscope.namespace.IdRange;
import org.junit.jupiter.api.Test;

class IdMapTest {

    @Test
    void parsesTheKernelsColumns() {
        // /proc/PID/uid_map of a rootless container (podman): root inside is the user, then a subordinate range.
        IdMap map = IdMap.parse("         0       1000          1\n         1     100000      65536\n");
        assertThat(map.ranges()).containsExactly(new IdRange(0, 1000, 1), new IdRange(1, 100000, 65536));
        assertThat(map.lines()).containsExactly("0 1000 1", "1 100000 65536");
    }

    @Test
    void theInitialNamespaceMapsEveryId() {
        assertThat(IdMap.parse("         0          0 4294967295\n").ranges())
                .containsExactly(new IdRange(0, 0, 4294967295L));
    }

    @Test
    void anUnwrittenMapIsEmpty() {
        assertThat(IdMap.parse("").ranges()).isEmpty();
    }

    @Test
    void rejectsAMalformedLine() {
        assertThatThrownBy(() -> IdMap.parse("0 1000\n")).isInstanceOf(IllegalArgumentException.class);
    }
}
