package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nsscope.procfs.IfInet6.Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IfInet6Test {

    /** The same namespace as {@link NetDevTest#DEV}: hash order, hex numbers, names right-aligned. */
    static final String IF_INET6 = """
            fe800000000000004c0773fffe8b2c25 07 40 20 c0    dexpB
            fd000231000900000000000000000002 07 40 00 c0    dexpB
            00000000000000000000000000000001 01 80 10 80       lo
            fe800000000000000000000000000001 1a 40 20 80 averylongname1
            """;

    @Test
    void parsesEveryColumnInHex() throws Exception {
        IfInet6 parsed = IfInet6.parse(IF_INET6);
        assertThat(parsed.addresses())
                .containsExactly(
                        new Address(
                                InetAddress.getByName("fe80::4c07:73ff:fe8b:2c25"),
                                7,
                                64,
                                IfInet6.SCOPE_LINK,
                                0xc0,
                                "dexpB"),
                        new Address(InetAddress.getByName("fd00:231:9::2"), 7, 64, IfInet6.SCOPE_GLOBAL, 0xc0, "dexpB"),
                        new Address(InetAddress.getByName("::1"), 1, 128, IfInet6.SCOPE_HOST, 0x80, "lo"),
                        new Address(
                                InetAddress.getByName("fe80::1"), 26, 64, IfInet6.SCOPE_LINK, 0x80, "averylongname1"));
    }

    @Test
    void emptyIsNoAddress() {
        assertThat(IfInet6.parse("").addresses()).isEmpty();
    }

    @Test
    void aMalformedLineIsRejected() {
        assertThatThrownBy(() -> IfInet6.parse("fe80 07 40 20 c0 eth0\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IfInet6.parse("fe800000000000004c0773fffe8b2c25 07 40 20 eth0\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IfInet6.parse("fe800000000000004c0773fffe8b2czz 07 40 20 c0 eth0\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
