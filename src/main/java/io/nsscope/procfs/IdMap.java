package io.nsscope.procfs;

import io.nsscope.namespace.IdRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A user namespace's ID mapping, {@code /proc/<pid>/uid_map} or {@code /proc/<pid>/gid_map} (user_namespaces(7)):
 * one {@link IdRange} per line, {@code ID-inside-ns ID-outside-ns length}. The outside IDs are as the <em>reader's</em>
 * user namespace sees them (the host's, for nsscope on the host). An empty file: no mapping written yet.
 *
 * @param ranges the lines in the file's order
 */
public record IdMap(List<IdRange> ranges) {

    public IdMap {
        ranges = List.copyOf(ranges);
    }

    /** Parses the text of a {@code uid_map} or {@code gid_map} file; blank lines are skipped. */
    public static IdMap parse(String text) {
        List<IdRange> ranges = new ArrayList<>();
        for (String[] f : Columns.of(text, 3, "id map")) {
            ranges.add(new IdRange(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
        }
        return new IdMap(ranges);
    }

    /** Reads and parses {@code <root>/<pid>/uid_map}. */
    public static IdMap readUidMap(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "uid_map"));
    }

    /** Reads and parses {@code <root>/<pid>/gid_map}. */
    public static IdMap readGidMap(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "gid_map"));
    }

    /**
     * Reads {@code <root>/<pid>/setgroups}: {@code allow} or {@code deny} (whether setgroups(2) is permitted in the
     * user namespace; {@code deny} is required before an unprivileged writer may write {@code gid_map}).
     */
    public static String readSetgroups(ProcFs procFs, int pid) throws IOException {
        return procFs.read(pid, "setgroups").trim();
    }

    /** The lines as the kernel writes them, {@code "0 1000 1"}, for a compact text form. */
    public List<String> lines() {
        return ranges.stream()
                .map(r -> r.inside() + " " + r.outside() + " " + r.count())
                .toList();
    }
}
