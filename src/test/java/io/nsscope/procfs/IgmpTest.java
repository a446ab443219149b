package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nsscope.procfs.Igmp.Interface;
import org.junit.jupiter.api.Test;

class IgmpTest {

    /** The same namespace as {@link NetDevTest#DEV}, plus a name of more than the ten columns the kernel pads to. */
    static final String IGMP = "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
            + "1\tlo        :     1      V3\n"
            + "\t\t\t\t010000E0     1 0:00000000\t\t0\n"
            + "7\tdexpB     :     2      V3\n"
            + "\t\t\t\t010000E0     1 0:00000000\t\t0\n"
            + "\t\t\t\t0A0000E0     1 0:00000000\t\t0\n"
            + "26\taverylongname1:     1      V2\n"
            + "\t\t\t\t010000E0     1 0:00000000\t\t0\n";

    @Test
    void keepsTheInterfaceLines() {
        assertThat(Igmp.parse(IGMP).interfaces())
                .containsExactly(
                        new Interface(1, "lo", 1),
                        new Interface(7, "dexpB", 2),
                        new Interface(26, "averylongname1", 1));
    }

    @Test
    void theHeaderAloneIsNoInterface() {
        assertThat(Igmp.parse(IGMP.lines().findFirst().orElseThrow()).interfaces())
                .isEmpty();
    }

    @Test
    void aMalformedInterfaceLineIsRejected() {
        assertThatThrownBy(() -> Igmp.parse("7\tdexpB 2 V3\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Igmp.parse("7\tdexpB     :\n")).isInstanceOf(IllegalArgumentException.class);
    }
}
