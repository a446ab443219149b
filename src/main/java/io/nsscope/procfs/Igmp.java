package io.nsscope.procfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The IPv4 multicast memberships of a process's network namespace, {@code /proc/<pid>/net/igmp} (the kernel's
 * {@code igmp_mc_seq_show} in net/ipv4/igmp.c): a header, then for each interface with at least one group a line
 * {@code IFINDEX<tab>NAME: COUNT QUERIER} followed by one tab-indented line per group. An interface that is up with
 * IPv4 has at least the all-hosts group (224.0.0.1), so this names the index of nearly every such interface. Only
 * the interface lines are kept.
 *
 * @param interfaces the interface lines, in the file's order
 */
public record Igmp(List<Interface> interfaces) {

    public Igmp {
        interfaces = List.copyOf(interfaces);
    }

    /**
     * An interface line.
     *
     * @param index its interface index
     * @param name  its name
     * @param count how many groups it is in
     */
    public record Interface(int index, String name, int count) {}

    /**
     * Parses the file's text: the lines that start with a digit (the header starts with {@code Idx}, group lines
     * with a tab).
     *
     * @throws IllegalArgumentException for an interface line without {@code :} or numbers where they belong
     */
    public static Igmp parse(String text) {
        List<Interface> interfaces = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || !Character.isDigit(line.charAt(0))) {
                continue;
            }
            int colon = line.indexOf(':');
            String[] head =
                    colon < 0 ? new String[0] : line.substring(0, colon).trim().split("\\s+");
            String[] tail =
                    colon < 0 ? new String[0] : line.substring(colon + 1).trim().split("\\s+");
            if (head.length != 2 || tail.length < 1 || tail[0].isEmpty()) {
                throw new IllegalArgumentException("malformed igmp line: " + line);
            }
            interfaces.add(new Interface(Integer.parseInt(head[0]), head[1], Integer.parseInt(tail[0])));
        }
        return new Igmp(interfaces);
    }

    /** Reads and parses {@code <root>/<pid>/net/igmp}. */
    public static Igmp read(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "net/igmp"));
    }
}
