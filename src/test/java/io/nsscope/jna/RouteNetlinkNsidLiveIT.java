package io.nsscope.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code RTNLGRP_NSID} subscription on the running kernel: silent while no ID is given, and told when nsscope's
 * network namespace gives one to another (here asked for with {@code RTM_NEWNSID}, as {@code ip netns set} does).
 */
class RouteNetlinkNsidLiveIT {

    private static final int RTM_NEWNSID = 88;
    private static final int NLM_F_ACK = 4;

    @Test
    void anIdGivenToAnotherNamespaceIsHeard() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "unshare -n and RTM_NEWNSID need CAP_SYS_ADMIN");
        Process other = new ProcessBuilder("unshare", "-n", "sleep", "60").start();
        try (Fd subscription = RouteNetlink.subscribeToNsids();
                Fd netlink = RouteNetlink.open()) {
            Path link = Path.of("/proc", Long.toString(other.pid()), "ns", "net");
            Path own = Path.of("/proc/self/ns/net");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.readSymbolicLink(link).equals(Files.readSymbolicLink(own))) { // until unshare made it
                assertThat(System.nanoTime()).as("unshare -n made no namespace").isLessThan(deadline);
                Thread.sleep(5);
            }
            try (Fd net = Descriptors.open(link)) {
                RouteNetlink.heardSince(subscription); // what the host did before: not this test's
                assertThat(RouteNetlink.netnsid(netlink, net)).isEqualTo(-1); // a new namespace: no ID yet
                assertThat(RouteNetlink.heardSince(subscription))
                        .as("asking gives no ID")
                        .isFalse();

                byte[] body = new byte[4 + 16]; // struct rtgenmsg, then NETNSA_FD and NETNSA_NSID (-1: any free ID)
                System.arraycopy(Netlink.intAttribute(RouteNetlink.NETNSA_FD, net.value()), 0, body, 4, 8);
                System.arraycopy(Netlink.intAttribute(RouteNetlink.NETNSA_NSID, -1), 0, body, 12, 8);
                Descriptors.write(netlink, Netlink.request(RTM_NEWNSID, Netlink.NLM_F_REQUEST | NLM_F_ACK, 1, body));
                byte[] ack = new byte[256];
                int n = Descriptors.read(netlink, ack);
                assertThat(n).isGreaterThanOrEqualTo(20);
                java.nio.ByteBuffer answer =
                        java.nio.ByteBuffer.wrap(Arrays.copyOf(ack, n)).order(java.nio.ByteOrder.nativeOrder());
                assertThat(answer.getShort(4)).isEqualTo((short) Netlink.NLMSG_ERROR);
                assertThat(answer.getInt(16))
                        .as("the kernel's answer (0: done)")
                        .isZero();

                assertThat(RouteNetlink.heardSince(subscription))
                        .as("the ID given is heard")
                        .isTrue();
                assertThat(RouteNetlink.netnsid(netlink, net)).isNotNegative();
                assertThat(RouteNetlink.heardSince(subscription))
                        .as("heard once")
                        .isFalse();
            }
        } finally {
            other.destroyForcibly().waitFor();
        }
    }
}
