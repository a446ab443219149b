package io.nsscope.procfs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The IPv6 addresses of a process's network namespace, {@code /proc/<pid>/net/if_inet6} (the kernel's
 * {@code if6_seq_show} in net/ipv6/addrconf.c): one line per address, {@code ADDRESS IFINDEX PREFIXLEN SCOPE FLAGS
 * DEVICE}, the address as 32 hex digits and the next four numbers in hex. The lines come in the kernel's hash order,
 * not per interface. Absent when IPv6 is disabled on the kernel's command line.
 *
 * @param addresses the lines, in the file's order
 */
public record IfInet6(List<Address> addresses) {

    /** {@code IFA_HOST}, {@code IFA_LINK}, {@code IFA_SITE} (linux/if_addr.h, ipv6_addr_scope); 0 is global. */
    public static final int SCOPE_GLOBAL = 0x00;

    public static final int SCOPE_HOST = 0x10;
    public static final int SCOPE_LINK = 0x20;
    public static final int SCOPE_SITE = 0x40;

    public IfInet6 {
        addresses = List.copyOf(addresses);
    }

    /**
     * One IPv6 address.
     *
     * @param address      the address
     * @param index        the interface index ({@code ifindex})
     * @param prefixLength its prefix length
     * @param scope        its scope ({@link #SCOPE_GLOBAL}, {@link #SCOPE_HOST}, {@link #SCOPE_LINK} ...)
     * @param flags        its {@code IFA_F_*} flags (e.g. 0x80 permanent, 0x40 tentative)
     * @param device       the interface name
     */
    public record Address(InetAddress address, int index, int prefixLength, int scope, int flags, String device) {}

    /**
     * Parses the file's text.
     *
     * @throws IllegalArgumentException for a line that is not six columns with a 32-digit address
     */
    public static IfInet6 parse(String text) {
        List<Address> addresses = new ArrayList<>();
        for (String[] f : Columns.of(text, 6, "if_inet6")) {
            if (f[0].length() != 32) {
                throw new IllegalArgumentException("malformed if_inet6 address: " + f[0]);
            }
            InetAddress address;
            try {
                address = InetAddress.getByAddress(HexFormat.of().parseHex(f[0]));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("malformed if_inet6 address: " + f[0], e);
            }
            addresses.add(new Address(
                    address,
                    Integer.parseInt(f[1], 16),
                    Integer.parseInt(f[2], 16),
                    Integer.parseInt(f[3], 16),
                    Integer.parseInt(f[4], 16),
                    f[5]));
        }
        return new IfInet6(addresses);
    }

    /** Reads and parses {@code <root>/<pid>/net/if_inet6}. */
    public static IfInet6 read(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "net/if_inet6"));
    }
}
