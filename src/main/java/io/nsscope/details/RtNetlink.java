package io.nsscope.details;

import io.nsscope.details.NamespaceDetails.NetInterface;
import io.nsscope.jna.Descriptors;
import io.nsscope.jna.Fd;
import io.nsscope.jna.Netlink;
import io.nsscope.jna.RouteNetlink;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The interfaces and addresses of the calling thread's network namespace, over route netlink (rtnetlink(7)), as
 * {@code ip -br addr} lists them: an {@code RTM_GETLINK} dump, then an {@code RTM_GETADDR} dump. The JDK's
 * {@code NetworkInterface} is no substitute on a thread that joined another namespace: it lists interfaces through
 * {@code SIOCGIFCONF} (only those with an IPv4 address), takes IPv6 addresses from {@code /proc/net/if_inet6} (the
 * process's namespace, not the thread's) and has no operational state. Building and parsing are pure functions over
 * bytes (the framing is {@link Netlink}'s); only {@link #dump()} talks to the kernel.
 */
final class RtNetlink {

    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_LINK = 5;
    static final int IFLA_OPERSTATE = 16;
    static final int IFLA_LINK_NETNSID = 37;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    private static final int HEADER = Netlink.HEADER;
    private static final int IFINFOMSG = 16;
    private static final int IFADDRMSG = 8;
    private static final int BUFFER = 64 * 1024;
    /** RFC 2863 operational states, {@code IF_OPER_*}, as ip prints them. */
    private static final List<String> OPER_STATES =
            List.of("UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP");

    private RtNetlink() {}

    /** One interface from an {@code RTM_NEWLINK} message. */
    record Link(
            int index, String name, String state, Integer linkIndex, Integer linkNetnsid, String mac, Integer mtu) {}

    /** One address from an {@code RTM_NEWADDR} message. */
    record Address(int index, int family, String address, int prefixLength) {}

    /** The interfaces of the calling thread's network namespace, with their addresses, by index. */
    static List<NetInterface> dump() {
        try (Fd socket = RouteNetlink.open()) {
            List<ByteBuffer> links = exchange(socket, request(RTM_GETLINK, 1, IFINFOMSG));
            List<ByteBuffer> addrs = exchange(socket, request(RTM_GETADDR, 2, IFADDRMSG));
            return interfaces(
                    links.stream().map(RtNetlink::link).toList(),
                    addrs.stream().map(RtNetlink::address).toList());
        }
    }

    /** Joins links and addresses into interfaces, by index, each with its addresses in the kernel's order. */
    static List<NetInterface> interfaces(List<Link> links, List<Address> addresses) {
        Map<Integer, List<String>> byIndex = new LinkedHashMap<>();
        for (Address a : addresses) {
            byIndex.computeIfAbsent(a.index(), k -> new ArrayList<>()).add(a.address() + "/" + a.prefixLength());
        }
        Map<Integer, NetInterface> result = new TreeMap<>();
        for (Link l : links) {
            result.put(
                    l.index(),
                    new NetInterface(
                            l.name(),
                            l.index(),
                            l.state(),
                            l.linkIndex(),
                            l.linkNetnsid(),
                            l.mac(),
                            l.mtu(),
                            List.copyOf(byIndex.getOrDefault(l.index(), List.of()))));
        }
        return List.copyOf(result.values());
    }

    /** A dump request: a netlink header and a zeroed family message of {@code bodyLength} bytes (AF_UNSPEC). */
    static byte[] request(int type, int sequence, int bodyLength) {
        return Netlink.request(type, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, sequence, new byte[bodyLength]);
    }

    /** Sends a request and reads datagrams until {@code NLMSG_DONE}: the messages of the answer, each its own view. */
    private static List<ByteBuffer> exchange(Fd socket, byte[] request) {
        Descriptors.write(socket, request);
        List<ByteBuffer> messages = new ArrayList<>();
        byte[] buffer = new byte[BUFFER];
        while (true) {
            int n = Descriptors.read(socket, buffer);
            if (n <= 0) {
                throw new IllegalStateException("route netlink: the answer ended without NLMSG_DONE");
            }
            if (Netlink.split(Arrays.copyOf(buffer, n), messages)) {
                return messages;
            }
        }
    }

    /** Parses an {@code RTM_NEWLINK} message: {@code ifinfomsg} then attributes. */
    static Link link(ByteBuffer m) {
        int index = m.getInt(HEADER + 4);
        String name = null;
        String state = OPER_STATES.get(0);
        Integer linkIndex = null;
        Integer linkNetnsid = null;
        String mac = null;
        Integer mtu = null;
        for (Netlink.Attribute attr : Netlink.attributes(m, HEADER + IFINFOMSG)) {
            int type = attr.type();
            int at = attr.offset();
            int len = attr.length();
            switch (type) {
                case IFLA_IFNAME -> name = cString(m, at, len);
                case IFLA_OPERSTATE -> {
                    int s = m.get(at) & 0xff;
                    state = s < OPER_STATES.size() ? OPER_STATES.get(s) : Integer.toString(s);
                }
                case IFLA_LINK -> linkIndex = m.getInt(at);
                case IFLA_LINK_NETNSID -> linkNetnsid = m.getInt(at);
                case IFLA_ADDRESS -> mac = hex(m, at, len);
                case IFLA_MTU -> mtu = m.getInt(at);
                default -> {}
            }
        }
        if (linkIndex != null && linkIndex == index) {
            linkIndex = null;
        }
        return new Link(index, name, state, linkIndex, linkNetnsid, mac, mtu);
    }

    /**
     * Parses an {@code RTM_NEWADDR} message: {@code ifaddrmsg} then attributes. The address shown is
     * {@code IFA_LOCAL} when present (the interface's own address on point-to-point links), else
     * {@code IFA_ADDRESS}, as ip shows it.
     */
    static Address address(ByteBuffer m) {
        int family = m.get(HEADER) & 0xff;
        int prefix = m.get(HEADER + 1) & 0xff;
        int index = m.getInt(HEADER + 4);
        byte[] local = null;
        byte[] address = null;
        for (Netlink.Attribute attr : Netlink.attributes(m, HEADER + IFADDRMSG)) {
            byte[] bytes = new byte[attr.length()];
            m.get(attr.offset(), bytes);
            if (attr.type() == IFA_LOCAL) {
                local = bytes;
            } else if (attr.type() == IFA_ADDRESS) {
                address = bytes;
            }
        }
        byte[] shown = local != null ? local : address;
        return new Address(index, family, shown == null ? "?" : text(shown), prefix);
    }

    private static String cString(ByteBuffer m, int at, int len) {
        int n = 0;
        while (n < len && m.get(at + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        m.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String hex(ByteBuffer m, int at, int len) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < len; i++) {
            if (i > 0) {
                s.append(':');
            }
            s.append(String.format("%02x", m.get(at + i) & 0xff));
        }
        return s.toString();
    }

    /** An address as ip prints it (IPv6 compressed as RFC 5952). */
    static String text(byte[] address) {
        try {
            String s = InetAddress.getByAddress(address).getHostAddress();
            return address.length == 16 ? compress(s) : s;
        } catch (UnknownHostException e) {
            return hexBytes(address);
        }
    }

    private static String hexBytes(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b & 0xff));
        }
        return s.toString();
    }

    /** Java prints {@code fe80:0:0:0:1:2:3:4}; ip (inet_ntop) prints {@code fe80::1:2:3:4}: the longest zero run. */
    static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLength) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestLength < 2) {
            return String.join(":", groups);
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
