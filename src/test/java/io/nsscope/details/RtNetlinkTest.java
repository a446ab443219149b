package io.nsscope.details;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.details.NamespaceDetails.NetInterface;
import io.nsscope.jna.Netlink;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtNetlinkTest {

    /** Builds messages as the kernel lays them out: native byte order, 4-byte alignment. */
    private static final class Message {
        private final ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());

        Message(int type) {
            b.putInt(0).putShort((short) type).putShort((short) 2).putInt(1).putInt(0);
        }

        Message ifinfo(int index) {
            b.put((byte) 0)
                    .put((byte) 0)
                    .putShort((short) 1)
                    .putInt(index)
                    .putInt(0x11043)
                    .putInt(0);
            return this;
        }

        Message ifaddr(int family, int prefix, int index) {
            b.put((byte) family).put((byte) prefix).put((byte) 0).put((byte) 0).putInt(index);
            return this;
        }

        Message attr(int type, byte[] data) {
            b.putShort((short) (4 + data.length)).putShort((short) type).put(data);
            while (b.position() % 4 != 0) {
                b.put((byte) 0);
            }
            return this;
        }

        Message attr(int type, int value) {
            return attr(
                    type,
                    ByteBuffer.allocate(4)
                            .order(ByteOrder.nativeOrder())
                            .putInt(value)
                            .array());
        }

        byte[] bytes() {
            b.putInt(0, b.position());
            byte[] out = new byte[b.position()];
            b.get(0, out);
            return out;
        }
    }

    private static byte[] cString(String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[text.length + 1];
        System.arraycopy(text, 0, out, 0, text.length);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aDumpRequestIsAHeaderAndAZeroedFamilyMessage() {
        ByteBuffer b =
                ByteBuffer.wrap(RtNetlink.request(RtNetlink.RTM_GETADDR, 7, 8)).order(ByteOrder.nativeOrder());
        assertThat(b.limit()).isEqualTo(24);
        assertThat(b.getInt(0)).isEqualTo(24);
        assertThat(b.getShort(4)).isEqualTo((short) RtNetlink.RTM_GETADDR);
        assertThat(b.getShort(6)).isEqualTo((short) 0x301);
        assertThat(b.getInt(8)).isEqualTo(7);
        assertThat(b.get(16)).isZero();
    }

    @Test
    void parsesLinksAndAddressesIntoInterfacesAsIpBriefShowsThem() {
        byte[] lo = new Message(RtNetlink.RTM_NEWLINK)
                .ifinfo(1)
                .attr(RtNetlink.IFLA_IFNAME, cString("lo"))
                .attr(RtNetlink.IFLA_MTU, 65536)
                .attr(RtNetlink.IFLA_OPERSTATE, new byte[] {0})
                .attr(RtNetlink.IFLA_ADDRESS, new byte[6])
                .bytes();
        byte[] veth = new Message(RtNetlink.RTM_NEWLINK)
                .ifinfo(2)
                .attr(RtNetlink.IFLA_IFNAME, cString("veth1"))
                .attr(RtNetlink.IFLA_OPERSTATE, new byte[] {6})
                .attr(RtNetlink.IFLA_LINK, 84)
                .attr(RtNetlink.IFLA_LINK_NETNSID, 0)
                .attr(RtNetlink.IFLA_ADDRESS, new byte[] {0x1e, (byte) 0xd5, 0x1f, 0x32, (byte) 0xfb, (byte) 0xbd})
                .bytes();
        byte[] done = new Message(Netlink.NLMSG_DONE).attr(0, new byte[0]).bytes();
        List<ByteBuffer> linkMessages = new ArrayList<>();
        assertThat(Netlink.split(concat(lo, veth), linkMessages)).isFalse();
        assertThat(Netlink.split(done, linkMessages)).isTrue();

        byte[] v4 = new Message(RtNetlink.RTM_NEWADDR)
                .ifaddr(RtNetlink.AF_INET, 24, 2)
                .attr(RtNetlink.IFA_ADDRESS, new byte[] {10, 77, 0, 2})
                .attr(RtNetlink.IFA_LOCAL, new byte[] {10, 77, 0, 2})
                .bytes();
        byte[] v6 = new Message(RtNetlink.RTM_NEWADDR)
                .ifaddr(RtNetlink.AF_INET6, 64, 2)
                .attr(RtNetlink.IFA_ADDRESS, new byte[] {
                    (byte) 0xfe,
                    (byte) 0x80,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0x1c,
                    (byte) 0xd5,
                    0x1f,
                    (byte) 0xff,
                    (byte) 0xfe,
                    0x32,
                    (byte) 0xfb,
                    (byte) 0xbd
                })
                .bytes();
        byte[] loV4 = new Message(RtNetlink.RTM_NEWADDR)
                .ifaddr(RtNetlink.AF_INET, 8, 1)
                .attr(RtNetlink.IFA_LOCAL, new byte[] {127, 0, 0, 1})
                .bytes();
        List<ByteBuffer> addrMessages = new ArrayList<>();
        assertThat(Netlink.split(concat(loV4, v4, v6, done), addrMessages)).isTrue();

        List<NetInterface> interfaces = RtNetlink.interfaces(
                linkMessages.stream().map(RtNetlink::link).toList(),
                addrMessages.stream().map(RtNetlink::address).toList());
        assertThat(interfaces)
                .containsExactly(
                        new NetInterface(
                                "lo", 1, "UNKNOWN", null, null, "00:00:00:00:00:00", 65536, List.of("127.0.0.1/8")),
                        new NetInterface(
                                "veth1",
                                2,
                                "UP",
                                84,
                                0,
                                "1e:d5:1f:32:fb:bd",
                                null,
                                List.of("10.77.0.2/24", "fe80::1cd5:1fff:fe32:fbbd/64")));
    }

    @Test
    void ipv6AddressesAreCompressedAsInetNtopDoes() {
        assertThat(RtNetlink.compress("fe80:0:0:0:1cd5:1fff:fe32:fbbd")).isEqualTo("fe80::1cd5:1fff:fe32:fbbd");
        assertThat(RtNetlink.compress("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(RtNetlink.compress("2001:db8:0:1:0:0:0:1")).isEqualTo("2001:db8:0:1::1");
        assertThat(RtNetlink.compress("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(RtNetlink.compress("0:0:0:0:0:0:0:0")).isEqualTo("::");
    }
}
