package io.nsscope.procfs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The IPv4 routing tables of a process's network namespace, {@code /proc/<pid>/net/fib_trie} (the kernel's
 * {@code fib_trie_seq_show} in net/ipv4/fib_trie.c): for each table a header ({@code Main:}, {@code Local:} or
 * {@code Id N:}), then the trie, whose leaves ({@code |-- A.B.C.D}) are each followed by one line per route at that
 * key: {@code /PREFIXLEN SCOPE TYPE}. The {@code LOCAL} routes are the namespace's own addresses (a {@code /32} per
 * address, plus the whole prefix for loopback addresses); the file names no interface. A table is printed once per
 * table the kernel keeps (main and local are one trie until policy routing rules are added, then both print it).
 *
 * @param routes every route line, with the leaf and table it was under, in the file's order
 */
public record FibTrie(List<Route> routes) {

    public FibTrie {
        routes = List.copyOf(routes);
    }

    /**
     * One route of the trie.
     *
     * @param table        the table's header without the colon: {@code Main}, {@code Local}, {@code Id 100}
     * @param key          the leaf's key: the destination's first address
     * @param prefixLength the destination's prefix length
     * @param scope        {@code host}, {@code link}, {@code universe} ... (rtn_scope)
     * @param type         {@code LOCAL}, {@code UNICAST}, {@code BROADCAST} ... (rtn_type)
     */
    public record Route(String table, InetAddress key, int prefixLength, String scope, String type) {

        /** Whether this is one of the namespace's own addresses (or, shorter than 32, a loopback prefix). */
        public boolean isLocal() {
            return "LOCAL".equals(type);
        }
    }

    /**
     * Parses the file's text.
     *
     * @throws IllegalArgumentException for a route line outside a leaf or a table, or a malformed address
     */
    public static FibTrie parse(String text) {
        List<Route> routes = new ArrayList<>();
        String table = null;
        InetAddress leaf = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String trimmed = line.strip();
            if (!Character.isWhitespace(line.charAt(0)) && trimmed.endsWith(":")) {
                table = trimmed.substring(0, trimmed.length() - 1);
                leaf = null;
            } else if (trimmed.startsWith("|-- ")) {
                leaf = ipv4(trimmed.substring(4).strip());
            } else if (trimmed.startsWith("+-- ")) {
                leaf = null; // an inner node of the trie
            } else if (trimmed.startsWith("/")) {
                String[] f = trimmed.substring(1).split("\\s+");
                if (leaf == null || table == null || f.length < 3) {
                    throw new IllegalArgumentException("malformed fib_trie line: " + line);
                }
                routes.add(new Route(table, leaf, Integer.parseInt(f[0]), f[1], f[2]));
            }
        }
        return new FibTrie(routes);
    }

    /** A dotted quad as an address (parsed here: {@link InetAddress#getByName} would accept host names). */
    static InetAddress ipv4(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = Integer.parseInt(parts[i]);
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            bytes[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted, e);
        }
    }

    /** Reads and parses {@code <root>/<pid>/net/fib_trie}. */
    public static FibTrie read(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "net/fib_trie"));
    }
}
