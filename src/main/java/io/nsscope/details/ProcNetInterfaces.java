package io.nsscope.details;

import io.nsscope.details.NamespaceDetails.NetInterface;
import io.nsscope.procfs.FibTrie;
import io.nsscope.procfs.IfInet6;
import io.nsscope.procfs.Igmp;
import io.nsscope.procfs.NetDev;
import io.nsscope.procfs.NetRoute;
import io.nsscope.procfs.ProcFs;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The interfaces of a network namespace from the files of {@code /proc/<pid>/net/}, which show the namespace of
 * process PID to any reader with ptrace read access to it: no {@code setns(2)}, so no {@code CAP_SYS_ADMIN}. What the
 * files give, and how they are joined:
 * <ul>
 * <li>{@code dev}: every interface's name, in the namespace's order;</li>
 * <li>{@code if_inet6}: the IPv6 addresses with their interface, prefix and scope (exact), and the interface's index;</li>
 * <li>{@code igmp}: the index of every interface that is up with IPv4;</li>
 * <li>{@code fib_trie}: the IPv4 addresses (the {@code /32 host LOCAL} routes), without their interface;</li>
 * <li>{@code route}: the main table's routes with their interface: an address goes to the interface of the most
 *     specific route on the link that covers it, with that route's prefix; a loopback address (covered by a local
 *     route shorter than /32, which the kernel adds only on a loopback interface) to {@code lo}. An address no such
 *     route covers (a /32, {@code noprefixroute}) is listed apart. An interface that is down has no routes, so its
 *     IPv4 addresses are not in {@code fib_trie} at all.</li>
 * </ul>
 * No file gives an interface's operational state, MTU, hardware address or peer: those are left null. Parsing is in
 * the records of {@code io.nsscope.procfs}; {@link #assemble} is a pure function of them.
 */
final class ProcNetInterfaces {

    /**
     * The interfaces, and the IPv4 addresses that could not be tied to one.
     *
     * @param interfaces                the interfaces, in {@code dev}'s order
     * @param addressesWithoutInterface IPv4 addresses without a covering route on the link, ascending
     */
    record Result(List<NetInterface> interfaces, List<String> addressesWithoutInterface) {}

    private ProcNetInterfaces() {}

    /**
     * Reads the five files of process {@code pid}. Only {@code dev} must be there: the others are absent from a
     * kernel without IPv6, IPv4 multicast or IPv4, and count as empty.
     */
    static Result read(ProcFs procFs, int pid) throws IOException {
        NetDev dev = NetDev.read(procFs, pid);
        IfInet6 inet6 = optional(() -> IfInet6.read(procFs, pid)).orElse(new IfInet6(List.of()));
        Igmp igmp = optional(() -> Igmp.read(procFs, pid)).orElse(new Igmp(List.of()));
        FibTrie trie = optional(() -> FibTrie.read(procFs, pid)).orElse(new FibTrie(List.of()));
        NetRoute route = optional(() -> NetRoute.read(procFs, pid)).orElse(new NetRoute(List.of()));
        return assemble(dev, inet6, igmp, trie, route);
    }

    private interface Read<T> {
        T read() throws IOException;
    }

    private static <T> Optional<T> optional(Read<T> read) throws IOException {
        try {
            return Optional.of(read.read());
        } catch (NoSuchFileException e) {
            return Optional.empty(); // the kernel has no such file (a vanished process is ProcessVanishedException)
        }
    }

    /** Joins the files' records into interfaces (see the class comment). */
    static Result assemble(NetDev dev, IfInet6 inet6, Igmp igmp, FibTrie trie, NetRoute route) {
        Map<String, Integer> indexes = new HashMap<>();
        for (Igmp.Interface i : igmp.interfaces()) {
            indexes.putIfAbsent(i.name(), i.index());
        }
        Map<String, List<String>> v6 = new HashMap<>();
        List<IfInet6.Address> six = new ArrayList<>(inet6.addresses());
        six.sort(Comparator.comparingInt(a -> scopeRank(a.scope()))); // stable: the file's order within a scope
        for (IfInet6.Address a : six) {
            indexes.putIfAbsent(a.device(), a.index());
            v6.computeIfAbsent(a.device(), k -> new ArrayList<>())
                    .add(RtNetlink.text(a.address().getAddress()) + "/" + a.prefixLength());
        }
        Map<String, List<String>> v4 = new HashMap<>();
        List<String> without = new ArrayList<>();
        for (InetAddress address : ownIpv4Addresses(trie)) {
            String text = address.getHostAddress();
            Optional<NetRoute.Route> onLink = route.routes().stream()
                    .filter(r ->
                            r.onLink() && r.prefixLength() > 0 && covers(r.destination(), r.prefixLength(), address))
                    .max(Comparator.comparingInt(NetRoute.Route::prefixLength)
                            .thenComparing(Comparator.comparingInt(NetRoute.Route::metric)
                                    .reversed()));
            Optional<FibTrie.Route> loopback = trie.routes().stream()
                    .filter(r -> r.isLocal() && r.prefixLength() < 32 && covers(r.key(), r.prefixLength(), address))
                    .max(Comparator.comparingInt(FibTrie.Route::prefixLength));
            if (onLink.isPresent()) {
                v4.computeIfAbsent(onLink.get().iface(), k -> new ArrayList<>())
                        .add(text + "/" + onLink.get().prefixLength());
            } else if (loopback.isPresent() && dev.interfaces().contains("lo")) {
                v4.computeIfAbsent("lo", k -> new ArrayList<>())
                        .add(text + "/" + loopback.get().prefixLength());
            } else {
                without.add(text);
            }
        }
        List<NetInterface> interfaces = new ArrayList<>();
        for (String name : dev.interfaces()) {
            List<String> addresses = new ArrayList<>(v4.getOrDefault(name, List.of()));
            addresses.addAll(v6.getOrDefault(name, List.of()));
            interfaces.add(
                    new NetInterface(name, indexes.get(name), null, null, null, null, null, List.copyOf(addresses)));
        }
        return new Result(List.copyOf(interfaces), List.copyOf(without));
    }

    /** The {@code /32} local routes: one per address of the namespace (in trie order: ascending), each once. */
    private static Set<InetAddress> ownIpv4Addresses(FibTrie trie) {
        Set<InetAddress> own = new LinkedHashSet<>();
        for (FibTrie.Route r : trie.routes()) {
            if (r.isLocal() && r.prefixLength() == 32) {
                own.add(r.key());
            }
        }
        return own;
    }

    /** Global addresses first, as ip lists them, then site, link and host scope. */
    private static int scopeRank(int scope) {
        return switch (scope) {
            case IfInet6.SCOPE_GLOBAL -> 0;
            case IfInet6.SCOPE_SITE -> 1;
            case IfInet6.SCOPE_LINK -> 2;
            case IfInet6.SCOPE_HOST -> 3;
            default -> 4;
        };
    }

    /** Whether {@code network/prefixLength} contains {@code address} (both IPv4). */
    static boolean covers(InetAddress network, int prefixLength, InetAddress address) {
        byte[] n = network.getAddress();
        byte[] a = address.getAddress();
        if (n.length != 4 || a.length != 4) {
            return false;
        }
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return (toInt(n) & mask) == (toInt(a) & mask);
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
