package io.nsscope.jna;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code RTM_GETNSID} exchange: built and parsed on bytes, then asked of the running kernel as any user. */
class RouteNetlinkTest {

    @Test
    void theRequestIsAsLsnsSendsIt() {
        ByteBuffer b = ByteBuffer.wrap(RouteNetlink.netnsidRequest(42)).order(ByteOrder.nativeOrder());
        assertThat(b.limit()).isEqualTo(28);
        assertThat(b.getInt(0)).isEqualTo(28);
        assertThat(b.getShort(4)).isEqualTo((short) RouteNetlink.RTM_GETNSID);
        assertThat(b.getShort(6)).isEqualTo((short) Netlink.NLM_F_REQUEST);
        assertThat(b.get(16)).isZero(); // struct rtgenmsg: AF_UNSPEC
        assertThat(b.getShort(20)).isEqualTo((short) 8);
        assertThat(b.getShort(22)).isEqualTo((short) RouteNetlink.NETNSA_FD);
        assertThat(b.getInt(24)).isEqualTo(42);
    }

    private static byte[] answer(int type, int attribute, int value) {
        return ByteBuffer.allocate(28)
                .order(ByteOrder.nativeOrder())
                .putInt(28)
                .putShort((short) type)
                .putShort((short) 0)
                .putInt(0)
                .putInt(0)
                .putInt(0)
                .putShort((short) 8)
                .putShort((short) attribute)
                .putInt(value)
                .array();
    }

    @Test
    void theAnswerIsTheNsidAttributeOfNewnsid() {
        assertThat(RouteNetlink.netnsid(answer(RouteNetlink.RTM_NEWNSID, RouteNetlink.NETNSA_NSID, 3)))
                .isEqualTo(3);
        assertThat(RouteNetlink.netnsid(answer(RouteNetlink.RTM_NEWNSID, RouteNetlink.NETNSA_NSID, -1)))
                .isEqualTo(-1);
        assertThat(RouteNetlink.netnsid(answer(RouteNetlink.RTM_NEWNSID, 2, 3))).isNull(); // another attribute
        assertThat(RouteNetlink.netnsid(answer(RouteNetlink.RTM_GETNSID, RouteNetlink.NETNSA_NSID, 3)))
                .isNull();
    }

    @Test
    void aRefusalOrAGarbledAnswerIsNoId() {
        byte[] error = ByteBuffer.allocate(20)
                .order(ByteOrder.nativeOrder())
                .putInt(20)
                .putShort((short) Netlink.NLMSG_ERROR)
                .putShort((short) 0)
                .putInt(0)
                .putInt(0)
                .putInt(-22)
                .array();
        assertThat(RouteNetlink.netnsid(error)).isNull();
        byte[] garbled = answer(RouteNetlink.RTM_NEWNSID, RouteNetlink.NETNSA_NSID, 3);
        garbled[0] = 100;
        assertThat(RouteNetlink.netnsid(garbled)).isNull();
        assertThat(RouteNetlink.netnsid(new byte[0])).isNull();
    }

    @Test
    void theKernelAnswersForItsOwnNetworkNamespace() {
        try (Fd netlink = RouteNetlink.open();
                Fd net = Descriptors.open(Path.of("/proc/self/ns/net"))) {
            // the namespace a socket was made in has an ID for itself only if one was set or allocated
            assertThat(RouteNetlink.netnsid(netlink, net)).isNotNull().isGreaterThanOrEqualTo(-1);
        }
    }

    @Test
    void theSubscriptionAddressJoinsTheNsidGroup() {
        ByteBuffer b = ByteBuffer.wrap(RouteNetlink.nsidGroupAddress()).order(ByteOrder.nativeOrder());
        assertThat(b.limit()).isEqualTo(12); // struct sockaddr_nl
        assertThat(b.getShort(0)).isEqualTo((short) 16); // AF_NETLINK
        assertThat(b.getInt(4)).isZero(); // the kernel picks the port
        assertThat(b.getInt(8)).isEqualTo(1 << 27); // RTNLGRP_NSID = 28: bit 27
    }
}
