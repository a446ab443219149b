package io.nsscope.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.procfs.NetRoute.Route;
import java.net.InetAddress;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetRouteTest {

    /** The same namespace as {@link NetDevTest#DEV}, with a default route added (Linux 6.18, x86_64). */
    static final String ROUTE = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT"
            + "                                                       \n"
            + "dexpB\t00000000\t0109E70A\t0003\t0\t0\t0\t00000000\t0\t0\t0"
            + "                                                                               \n"
            + "dexpB\t0009E70A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0"
            + "                                                                               \n";

    @BeforeEach
    void littleEndian() {
        assumeTrue(
                ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the sample was taken on a little-endian machine (the file prints addresses in native order)");
    }

    @Test
    void parsesAddressesInNativeOrderAndTheMasksLength() throws Exception {
        NetRoute parsed = NetRoute.parse(ROUTE);
        assertThat(parsed.routes())
                .containsExactly(
                        new Route(
                                "dexpB",
                                InetAddress.getByName("0.0.0.0"),
                                InetAddress.getByName("10.231.9.1"),
                                3,
                                0,
                                0),
                        new Route(
                                "dexpB",
                                InetAddress.getByName("10.231.9.0"),
                                InetAddress.getByName("0.0.0.0"),
                                1,
                                0,
                                24));
        assertThat(parsed.routes().get(0).onLink()).isFalse();
        assertThat(parsed.routes().get(1).onLink()).isTrue();
    }

    @Test
    void theHeaderAloneIsNoRoute() {
        assertThat(NetRoute.parse(ROUTE.lines().findFirst().orElseThrow() + "\n")
                        .routes())
                .isEmpty();
    }

    @Test
    void malformedLinesAreRejected() {
        assertThatThrownBy(() -> NetRoute.parse("header\ndexpB\t0009E70A\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NetRoute.parse("header\ndexpB\t09E70A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
