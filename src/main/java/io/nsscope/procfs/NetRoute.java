package io.nsscope.procfs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The main IPv4 routing table of a process's network namespace, {@code /proc/<pid>/net/route} (proc_net(5); the
 * kernel's {@code fib_route_seq_show} in net/ipv4/fib_trie.c): a header, then one tab-separated line per route,
 * {@code Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT}. Destination, gateway and mask are
 * the address's four bytes as the machine reads them as one integer, in hex: {@code 0009E70A} is 10.231.9.0 on a
 * little-endian machine. Routes of other tables (the local table's addresses) are not listed.
 *
 * @param routes the lines, in the file's order
 */
public record NetRoute(List<Route> routes) {

    /** {@code RTF_UP}, {@code RTF_GATEWAY} (linux/route.h). */
    public static final int RTF_UP = 0x1;

    public static final int RTF_GATEWAY = 0x2;

    public NetRoute {
        routes = List.copyOf(routes);
    }

    /**
     * One route.
     *
     * @param iface        the interface it goes out of
     * @param destination  the destination network
     * @param gateway      the gateway, 0.0.0.0 for a route on the link
     * @param flags        {@code RTF_*} flags
     * @param metric       its metric (priority)
     * @param prefixLength the destination's prefix length (the mask's bits)
     */
    public record Route(
            String iface, InetAddress destination, InetAddress gateway, int flags, int metric, int prefixLength) {

        /** Whether the route is up and on the link (no gateway): its interface is on the destination network. */
        public boolean onLink() {
            return (flags & RTF_UP) != 0 && (flags & RTF_GATEWAY) == 0;
        }
    }

    /**
     * Parses the file's text: every line after the header.
     *
     * @throws IllegalArgumentException for a line of fewer than eleven columns or with malformed numbers
     */
    public static NetRoute parse(String text) {
        List<Route> routes = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].strip().split("\\s+");
            if (f.length == 1 && f[0].isEmpty()) {
                continue;
            }
            if (f.length < 11) {
                throw new IllegalArgumentException("malformed route line: " + lines[i]);
            }
            int mask = (int) Long.parseLong(f[7], 16);
            routes.add(new Route(
                    f[0],
                    address(f[1]),
                    address(f[2]),
                    Integer.parseInt(f[3], 16),
                    Integer.parseInt(f[6]),
                    Integer.bitCount(mask)));
        }
        return new NetRoute(routes);
    }

    /** An address as the file prints it: its bytes in memory order, read as one native integer. */
    static InetAddress address(String hex) {
        if (hex.length() != 8) {
            throw new IllegalArgumentException("malformed route address: " + hex);
        }
        byte[] bytes = ByteBuffer.allocate(4)
                .order(ByteOrder.nativeOrder())
                .putInt((int) Long.parseLong(hex, 16))
                .array();
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("malformed route address: " + hex, e);
        }
    }

    /** Reads and parses {@code <root>/<pid>/net/route}. */
    public static NetRoute read(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "net/route"));
    }
}
