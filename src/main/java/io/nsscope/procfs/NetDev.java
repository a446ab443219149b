package io.nsscope.procfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The network interfaces of a process's network namespace, {@code /proc/<pid>/net/dev} (proc_net(5); the kernel's
 * {@code dev_seq_show}): two header lines, then one line per interface, {@code NAME: counters...}, in the order the
 * namespace lists its devices. {@code /proc/<pid>/net/} shows the network namespace of that process, whichever
 * namespace the reader is in, so this needs no {@code setns(2)}. Only the names are kept.
 *
 * @param interfaces the interface names, in the file's order
 */
public record NetDev(List<String> interfaces) {

    public NetDev {
        interfaces = List.copyOf(interfaces);
    }

    /**
     * Parses the file's text: every line with a {@code :} after the two header lines (an interface name cannot hold a
     * {@code :}, so the first one ends it).
     *
     * @throws IllegalArgumentException for a line without a name
     */
    public static NetDev parse(String text) {
        List<String> names = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 2; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("malformed net/dev line: " + line);
            }
            names.add(name);
        }
        return new NetDev(names);
    }

    /** Reads and parses {@code <root>/<pid>/net/dev}. */
    public static NetDev read(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "net/dev"));
    }
}
