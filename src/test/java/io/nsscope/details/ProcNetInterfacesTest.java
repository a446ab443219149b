package io.nsscope.details;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.details.NamespaceDetails.NetInterface;
import io.nsscope.procfs.FibTrie;
import io.nsscope.procfs.IfInet6;
import io.nsscope.procfs.Igmp;
import io.nsscope.procfs.NetDev;
import io.nsscope.procfs.NetRoute;
import io.nsscope.testing.FixtureProcFs;
import io.nsscope.testing.Fixtures;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interfaces from /proc/PID/net: the fixture's container (5438) and edge cases of the join, on strings. */
class ProcNetInterfacesTest {

    private static final String HEADERS = "Inter-| Receive\n face |bytes\n";

    @BeforeEach
    void littleEndian() {
        assumeTrue(
                ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the route samples were taken on a little-endian machine (the file prints addresses in native order)");
    }

    @Test
    void theFixturesContainerAsIpBriefWouldShowIt(@TempDir Path dir) throws Exception {
        FixtureProcFs procFs = new FixtureProcFs(Fixtures.copyProc(dir.resolve("proc")));
        ProcNetInterfaces.Result r = ProcNetInterfaces.read(procFs, 5438);
        assertThat(r.interfaces())
                .containsExactly(
                        new NetInterface("lo", 1, null, null, null, null, null, List.of("127.0.0.1/8", "::1/128")),
                        new NetInterface(
                                "eth0",
                                3,
                                null,
                                null,
                                null,
                                null,
                                null,
                                List.of("10.244.1.23/24", "fd00:10:244:1::17/64", "fe80::a8c1:abff:fe12:3456/64")),
                        new NetInterface("dummy0", null, null, null, null, null, null, List.of()));
        // a /32 address with no route on the link: the files do not say whose it is
        assertThat(r.addressesWithoutInterface()).containsExactly("169.254.9.9");
    }

    @Test
    void onlyDevIsRequired(@TempDir Path dir) throws Exception {
        Path root = Fixtures.copyProc(dir.resolve("proc"));
        for (String file : List.of("if_inet6", "igmp", "fib_trie", "route")) {
            Files.delete(root.resolve("5438/net/" + file));
        }
        ProcNetInterfaces.Result r = ProcNetInterfaces.read(new FixtureProcFs(root), 5438);
        assertThat(r.interfaces()).extracting(NetInterface::name).containsExactly("lo", "eth0", "dummy0");
        assertThat(r.interfaces()).allSatisfy(i -> assertThat(i.addresses()).isEmpty());
    }

    @Test
    void theMostSpecificRouteOnTheLinkWinsAndGatewaysAndDefaultsDoNot() {
        NetDev dev = NetDev.parse(HEADERS + "lo: 0\neth0: 0\neth1: 0\n");
        FibTrie trie =
                FibTrie.parse("Main:\n  |-- 10.1.2.3\n     /32 host LOCAL\n  |-- 10.9.9.9\n     /32 host LOCAL\n");
        NetRoute route = NetRoute.parse("header\n"
                + "eth1\t0000000A\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\n" // 10.0.0.0/8 dev eth1
                + "eth0\t0002010A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" // 10.1.2.0/24 dev eth0
                + "eth1\t0002010A\t0102010A\t0003\t0\t0\t0\t80FFFFFF\t0\t0\t0\n" // 10.1.2.0/25 via 10.1.2.1
                + "eth1\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n"); // default dev eth1
        ProcNetInterfaces.Result r =
                ProcNetInterfaces.assemble(dev, new IfInet6(List.of()), new Igmp(List.of()), trie, route);
        assertThat(r.interfaces())
                .extracting(NetInterface::addresses)
                .containsExactly(List.of(), List.of("10.1.2.3/24"), List.of("10.9.9.9/8"));
        assertThat(r.addressesWithoutInterface()).isEmpty();
    }

    @Test
    void aDownRouteDoesNotPlaceAnAddress() {
        NetDev dev = NetDev.parse(HEADERS + "eth0: 0\n");
        FibTrie trie = FibTrie.parse("Local:\n  |-- 10.1.2.3\n     /32 host LOCAL\n");
        NetRoute route = NetRoute.parse("header\neth0\t0002010A\t00000000\t0000\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
        ProcNetInterfaces.Result r =
                ProcNetInterfaces.assemble(dev, new IfInet6(List.of()), new Igmp(List.of()), trie, route);
        assertThat(r.interfaces().get(0).addresses()).isEmpty();
        assertThat(r.addressesWithoutInterface()).containsExactly("10.1.2.3");
    }

    @Test
    void globalIpv6AddressesComeFirstAndIgmpNamesIndexes() {
        NetDev dev = NetDev.parse(HEADERS + "lo: 0\nwg0: 0\n");
        IfInet6 six = IfInet6.parse("fe800000000000000000000000000001 05 40 20 80 wg0\n"
                + "fec00000000000000000000000000001 05 40 40 80 wg0\n"
                + "20010db8000000000000000000000001 05 40 00 80 wg0\n");
        Igmp igmp = Igmp.parse("Idx\tDevice\n1\tlo        :     1      V3\n");
        ProcNetInterfaces.Result r =
                ProcNetInterfaces.assemble(dev, six, igmp, new FibTrie(List.of()), new NetRoute(List.of()));
        assertThat(r.interfaces())
                .containsExactly(
                        new NetInterface("lo", 1, null, null, null, null, null, List.of()),
                        new NetInterface(
                                "wg0",
                                5,
                                null,
                                null,
                                null,
                                null,
                                null,
                                List.of("2001:db8::1/64", "fec0::1/64", "fe80::1/64")));
    }

    @Test
    void coversComparesThePrefixOnly() throws Exception {
        var net = java.net.InetAddress.getByName("10.1.2.0");
        assertThat(ProcNetInterfaces.covers(net, 24, java.net.InetAddress.getByName("10.1.2.255")))
                .isTrue();
        assertThat(ProcNetInterfaces.covers(net, 24, java.net.InetAddress.getByName("10.1.3.0")))
                .isFalse();
        assertThat(ProcNetInterfaces.covers(net, 0, java.net.InetAddress.getByName("192.0.2.1")))
                .isTrue();
        assertThat(ProcNetInterfaces.covers(net, 24, java.net.InetAddress.getByName("::1")))
                .isFalse();
    }
}
