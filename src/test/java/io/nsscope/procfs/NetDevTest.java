package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NetDevTest {

    /** /proc/PID/net/dev of a process in a namespace made by `ip netns add` with one end of a veth pair (Linux 6.18). */
    static final String DEV = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
             dexpB:     266       3    0    0    0     0          0         0      392       4    0    0    0     0       0          0
            averylongname1:  1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
            """;

    @Test
    void namesInTheFilesOrder() {
        assertThat(NetDev.parse(DEV).interfaces()).containsExactly("lo", "dexpB", "averylongname1");
    }

    @Test
    void headersOnlyIsNoInterface() {
        assertThat(NetDev.parse(DEV.lines().limit(2).reduce("", (a, b) -> a + b + "\n"))
                        .interfaces())
                .isEmpty();
        assertThat(NetDev.parse("").interfaces()).isEmpty();
    }

    @Test
    void aLineWithoutANameIsRejected() {
        assertThatThrownBy(() -> NetDev.parse("h1\nh2\n   : 1 2 3\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NetDev.parse("h1\nh2\nno colon here\n")).isInstanceOf(IllegalArgumentException.class);
    }
}
