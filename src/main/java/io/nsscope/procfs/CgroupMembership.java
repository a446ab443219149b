package io.nsscope.procfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The cgroups of a process, {@code /proc/<pid>/cgroup} (cgroups(7)): one line per hierarchy,
 * {@code hierarchy-ID:controller-list:cgroup-path}; on cgroup v2 the single line {@code 0::/path}. The paths are
 * relative to the root of the <em>reading thread's</em> cgroup namespace (so the same file read from two cgroup
 * namespaces gives two paths; a cgroup outside the reader's namespace root starts with {@code /..}).
 *
 * @param entries the lines in the file's order
 */
public record CgroupMembership(List<Entry> entries) {

    public CgroupMembership {
        entries = List.copyOf(entries);
    }

    /**
     * One line.
     *
     * @param hierarchy   the hierarchy ID, 0 for the cgroup v2 unified hierarchy
     * @param controllers the controllers bound to it, comma-separated ({@code name=systemd} for a named v1 hierarchy;
     *                    empty for v2)
     * @param path        the cgroup's path, relative to the reader's cgroup namespace root
     */
    public record Entry(int hierarchy, String controllers, String path) {
    }

    /** Parses the file's text (paths may contain {@code :}, so a line is split at its first two only). */
    public static CgroupMembership parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int first = line.indexOf(':');
            int second = first < 0 ? -1 : line.indexOf(':', first + 1);
            if (second < 0) {
                throw new IllegalArgumentException("malformed cgroup line: " + line);
            }
            entries.add(new Entry(Integer.parseInt(line.substring(0, first)), line.substring(first + 1, second),
                    line.substring(second + 1)));
        }
        return new CgroupMembership(entries);
    }

    /** Reads and parses {@code <root>/<pid>/cgroup}. */
    public static CgroupMembership read(ProcFs procFs, int pid) throws IOException {
        return parse(procFs.read(pid, "cgroup"));
    }

    /**
     * The host path of the cgroup namespace's root for one hierarchy, from the same cgroup's path seen from outside
     * ({@code /system.slice/box.scope/inner}) and from inside the namespace ({@code /inner}): the outside path with
     * the inside path's tail removed ({@code /system.slice/box.scope}). Null when the inside path lies above the
     * namespace's root ({@code /..}: the process was moved out of it) or does not end the outside path.
     */
    public static String namespaceRoot(String outside, String inside) {
        if (inside.equals("/")) {
            return outside;
        }
        if (inside.startsWith("/..") || !outside.endsWith(inside)) {
            return null;
        }
        String root = outside.substring(0, outside.length() - inside.length());
        return root.isEmpty() ? "/" : root;
    }
}
